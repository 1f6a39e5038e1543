package org.heartbeat.server.console.internal;

import java.io.IOException;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The console under a reverse proxy's base path (README, "Under a path of another site"). The Felix Web Console
 * writes its links, scripts and redirects from the request's context path ({@code /system/console}); behind a
 * proxy that serves hbd under {@code /heartbeat/} and strips it, the browser needs {@code /heartbeat/system/console}.
 * hb.server.http's forwarded-headers preprocessor leaves {@value #PREFIX} on a request only when a proxy of
 * {@code trusted_proxies} sent it, as a plain path; this filter, first on the console's context, makes the context
 * path and the request URI the console sees begin with it. Checked again here (a plain path of safe segments), so
 * nothing else ever reaches a link. Runs on Jetty's request threads; holds no state.
 */
@Component(service = Filter.class, property = {"osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)",
        "osgi.http.whiteboard.target=(org.apache.felix.http.name=hbd)", "service.ranking:Integer=100"})
public final class ConsoleBasePath implements Filter {
    /** The header a trusted proxy names its base path in. */
    static final String PREFIX = "X-Forwarded-Prefix";
    private static final Pattern PATH = Pattern.compile("(/(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+)+");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String base = base(req.getHeader(PREFIX));
        chain.doFilter(base == null ? request : new HttpServletRequestWrapper(req) {
            @Override
            public String getContextPath() {
                return base + super.getContextPath();
            }

            @Override
            public String getRequestURI() {
                return base + super.getRequestURI();
            }
        }, response);
    }

    /** The base path, when the header holds one; else null. */
    static String base(String header) {
        return header != null && PATH.matcher(header).matches() ? header : null;
    }
}
