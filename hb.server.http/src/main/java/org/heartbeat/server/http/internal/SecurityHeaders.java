package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The security headers of every response on {@code hbd_port}, in one place: a Content-Security-Policy
 * ({@value #POLICY} unless a page sets its own; {@code frame-ancestors 'none'} is added to any policy that lacks
 * it), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: same-origin}, {@code X-Frame-Options: DENY}
 * for old browsers, and {@code Strict-Transport-Security} when the request came over HTTPS.
 *
 * <p>A whiteboard preprocessor ranked before all others (200) but {@link ForwardedHeaders} (300, which tells it
 * whether the browser's request was HTTPS behind a proxy), so the {@link StartingGate}'s and the
 * {@link AccessGate}'s answers carry the headers too; a response that is reset (as error pages are) gets them again.
 * Runs on the HTTP threads; holds no state.
 */
@Component(service = Preprocessor.class, property = "service.ranking:Integer=200")
@HttpWhiteboardTarget(Api.TARGET)
public final class SecurityHeaders implements Preprocessor {
    static final String POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String CSP = "Content-Security-Policy";
    static final String HSTS = "max-age=31536000";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean secure = request.isSecure();
        HttpServletResponse wrapped = new HttpServletResponseWrapper((HttpServletResponse) response) {
            @Override
            public void reset() {
                super.reset();
                apply(this, secure);
            }

            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, CSP.equalsIgnoreCase(name) ? framed(value) : value);
            }

            @Override
            public void addHeader(String name, String value) {
                if (CSP.equalsIgnoreCase(name)) {
                    super.setHeader(name, framed(value));
                } else {
                    super.addHeader(name, value);
                }
            }
        };
        apply(wrapped, secure);
        chain.doFilter((HttpServletRequest) request, wrapped);
    }

    static void apply(HttpServletResponse resp, boolean secure) {
        resp.setHeader(CSP, POLICY);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");
        if (secure) {
            resp.setHeader("Strict-Transport-Security", HSTS);
        }
    }

    /** A page's own policy, with {@code frame-ancestors 'none'} when it says nothing about framing. */
    static String framed(String policy) {
        if (policy == null || policy.toLowerCase(Locale.ROOT).contains("frame-ancestors")) {
            return policy;
        }
        String p = policy.strip();
        return (p.isEmpty() || p.endsWith(";") ? p : p + ";") + (p.isEmpty() ? "" : " ") + "frame-ancestors 'none'";
    }
}
