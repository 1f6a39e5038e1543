package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class SecurityHeadersTest {
    private final Map<String, String> headers = new HashMap<>();

    private HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setHeader", "addHeader" -> headers.put((String) a[0], (String) a[1]);
                        case "reset" -> headers.clear();
                        default -> {
                        }
                    }
                    return null;
                });
    }

    private static HttpServletRequest request(boolean secure) {
        return (HttpServletRequest) Proxy.newProxyInstance(SecurityHeadersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> m.getName().equals("isSecure") ? secure
                        : null);
    }

    @Test
    void everyResponseGetsThemAndHstsOnlyOverHttps() throws Exception {
        new SecurityHeaders().doFilter(request(false), response(), (rq, rs) -> {
        });
        assertThat(headers).containsEntry("Content-Security-Policy", SecurityHeaders.POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Referrer-Policy", "same-origin")
                .doesNotContainKey("Strict-Transport-Security");
        assertThat(SecurityHeaders.POLICY).contains("default-src 'self'", "frame-ancestors 'none'");

        headers.clear();
        new SecurityHeaders().doFilter(request(true), response(), (rq, rs) -> {
        });
        assertThat(headers).containsEntry("Strict-Transport-Security", SecurityHeaders.HSTS);
    }

    @Test
    void aPageMayHaveItsOwnPolicyButNeverWithoutFrameAncestors() throws Exception {
        new SecurityHeaders().doFilter(request(false), response(), (rq, rs) -> ((HttpServletResponse) rs)
                .setHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'"));
        assertThat(headers).containsEntry("Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'none'");
        assertThat(SecurityHeaders.framed("default-src 'self'; frame-ancestors 'self'"))
                .isEqualTo("default-src 'self'; frame-ancestors 'self'");
        assertThat(SecurityHeaders.framed("default-src 'none';")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void aResetResponseGetsThemAgain() throws Exception {
        new SecurityHeaders().doFilter(request(false), response(), (rq, rs) -> {
            HttpServletResponse r = (HttpServletResponse) rs;
            r.reset();
            r.setHeader("Retry-After", "1");
        });
        assertThat(headers).containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "same-origin").containsEntry("Retry-After", "1");
    }
}
