package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 document of this API, a resource of this bundle
 * ({@value #RESOURCE}). The end-to-end test {@code OpenApiTest} calls every operation it lists against a running
 * {@code hbd} and validates each answer against its schemas, so the document and the API cannot drift apart. Behind
 * a proxy's base path ({@link ForwardedHeaders#base}) its {@code servers} entry names that path instead of {@code /}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/openapi.json")
@HttpWhiteboardTarget(Api.TARGET)
public final class OpenApiResource extends HttpServlet {
    static final String RESOURCE = "openapi.json";

    private static final long serialVersionUID = 1L;

    /** The document as served under a proxy's base path, by base path; a proxy sends one or two at most. */
    private final transient java.util.Map<String, byte[]> underBase = new java.util.concurrent.ConcurrentHashMap<>();
    private final byte[] document;

    public OpenApiResource() {
        this.document = document();
    }

    static byte[] document() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The document with its one server's url set to {@code base} (a proxy's base path) instead of {@code /}. */
    static byte[] withServer(byte[] document, String base) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    Api.JSON.readTree(document);
            tree.putArray("servers").addObject().put("url", base);
            return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + RESOURCE, e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            Api.methodNotAllowed(resp, "GET");
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(Api.JSON_TYPE);
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        String base = ForwardedHeaders.base(req);
        byte[] body = base.isEmpty() ? document
                : underBase.size() < 16 ? underBase.computeIfAbsent(base, b -> withServer(document, b))
                : withServer(document, base);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
