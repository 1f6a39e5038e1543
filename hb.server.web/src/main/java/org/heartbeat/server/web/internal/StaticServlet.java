package org.heartbeat.server.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /static/...}: the pages' scripts and styles, and uPlot (copied from its WebJar into this bundle at build
 * time, under {@code /static/uplot/VERSION/}). uPlot's files never change under their versioned path and are
 * cached for a year; the pages' own files are revalidated ({@code no-cache} with an {@code ETag}), so a new
 * release shows at the next load.
 *
 * <p>Called by the HTTP Whiteboard on its request threads, concurrently. Only names of letters, digits, dots,
 * dashes and slashes without {@code ..} are looked up, and only under {@code static/} of this bundle; anything
 * else is a 404. Files are read from the bundle once and kept in memory (a few hundred KB in all).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/static/*")
@HttpWhiteboardTarget("(org.apache.felix.http.name=hbd)")
public final class StaticServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)*");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript", "css", "text/css",
            "svg", "image/svg+xml", "png", "image/png", "txt", "text/plain", "map", "application/json");

    /** Only files found: a name that is not there is looked up again, so strangers cannot fill it. */
    private final transient Map<String, Resource> cache = new ConcurrentHashMap<>();

    private record Resource(byte[] body, String type, String etag) {
    }

    /** A text resource of this bundle, for the pages; a missing one is a packaging mistake. */
    static String text(String path) {
        byte[] bytes = read(path);
        if (bytes == null) {
            throw new IllegalStateException(path + " is missing from the bundle hb.server.web");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] read(String path) {
        try (InputStream in = StaticServlet.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the bundle hb.server.web", e);
        }
    }

    private static Optional<Resource> load(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null && !name.endsWith("/LICENSE")) {
            return Optional.empty();
        }
        byte[] body = read("static/" + name);
        if (body == null) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Optional.of(new Resource(body, type == null ? "text/plain" : type,
                    "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\""));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        Resource r = cache.get(name);
        if (r == null && NAME.matcher(name).matches()) {
            r = load(name).orElse(null);
            if (r != null) {
                cache.put(name, r);
            }
        }
        if (r == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such file under /static/");
            return;
        }
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("ETag", r.etag());
        resp.setHeader("Cache-Control", name.startsWith("uplot/")
                ? "public, max-age=31536000, immutable" : "no-cache");
        String match = req.getHeader("If-None-Match");
        if (match != null && match.contains(r.etag())) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setContentType(r.type());
        if (r.type().startsWith("text/") || r.type().equals("application/json")) {
            resp.setCharacterEncoding("UTF-8");
        }
        resp.setContentLength(r.body().length);
        resp.getOutputStream().write(r.body());
    }
}
