package org.heartbeat.server.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * Takes the console's bundle uploads ({@code POST /system/console/bundles} with {@code action=install}, from the
 * "Install/Update" dialog or a script) before the console installs them itself, and hands them to
 * {@link PluginUploads}: the bundle goes into the plugin directory (the framework property
 * {@code felix.fileinstall.dir}), FileInstall installs or updates and starts it, and it is still there after a
 * restart. Then it answers as the console would (200 for {@code .../install}, else a redirect back to the list).
 * The console's security provider ({@link ConsoleGate}) has already admitted the request: the whiteboard asks the
 * console's context before any of its filters. Without a plugin directory it lets the console install the bundle,
 * which then lasts until hbd stops. Runs on Jetty's request threads.
 */
@Component(service = Filter.class, property = {
        "osgi.http.whiteboard.filter.pattern=/bundles", "osgi.http.whiteboard.filter.pattern=/bundles/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)",
        "osgi.http.whiteboard.target=(org.apache.felix.http.name=hbd)"})
public final class ConsoleUploads implements Filter {
    /** The form field of the console's upload. */
    static final String FIELD = "bundlefile";

    private final BundleContext context;
    private final Logger log;
    private final PluginUploads uploads;

    @Activate
    public ConsoleUploads(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        String dir = context.getProperty("felix.fileinstall.dir");
        this.uploads = dir == null || dir.isBlank() ? null : new PluginUploads(Path.of(dir));
        if (uploads == null) {
            log.warn("no plugin directory (felix.fileinstall.dir): bundles installed from the console last until "
                    + "hbd stops");
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        if (uploads == null || !"POST".equals(req.getMethod()) || !"install".equals(req.getParameter("action"))) {
            chain.doFilter(request, response);
            return;
        }
        List<Part> files = new ArrayList<>();
        for (Part p : req.getParts()) {
            if (FIELD.equals(p.getName()) && p.getSize() > 0) {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        for (Part p : files) {
            List<PluginUploads.Installed> installed = Arrays.stream(context.getBundles())
                    .map(b -> new PluginUploads.Installed(String.valueOf(b.getSymbolicName()), b.getLocation()))
                    .toList();
            try (InputStream in = p.getInputStream()) {
                Path kept = uploads.keep(in, installed);
                log.info("console: {} uploaded {}; it is now {} (FileInstall deploys it)", req.getRemoteUser(),
                        p.getSubmittedFileName(), kept);
            } catch (PluginUploads.Refused e) {
                log.info("console: refused the upload of {} by {}: {}", p.getSubmittedFileName(),
                        req.getRemoteUser(), e.getMessage());
                resp.setStatus(e.status);
                resp.setContentType("application/json");
                resp.setCharacterEncoding("UTF-8");
                resp.getWriter().write("{\"status\": " + e.status + ", \"error\": \""
                        + e.getMessage().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
                return;
            }
        }
        if (req.getRequestURI().endsWith("/install")) {
            resp.setStatus(200);
            resp.setContentLength(0);
        } else {
            resp.sendRedirect(req.getRequestURI());
        }
    }
}
