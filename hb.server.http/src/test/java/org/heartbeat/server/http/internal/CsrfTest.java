package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class CsrfTest {
    private static HttpServletRequest request(String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(CsrfTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getHeader" -> h.get((String) a[0]);
                    case "getHeaders" -> Collections.enumeration(h.containsKey((String) a[0])
                            ? List.of(h.get((String) a[0])) : List.<String>of());
                    default -> null;
                });
    }

    @Test
    void onlyGetHeadOptionsAndTraceAreSafe() {
        assertThat(List.of("GET", "HEAD", "OPTIONS", "TRACE", "get")).noneMatch(Csrf::unsafe);
        assertThat(List.of("POST", "PUT", "PATCH", "DELETE", "PROPFIND")).allMatch(Csrf::unsafe);
    }

    @Test
    void sameOriginNeedsOriginOrRefererNamingTheHost() {
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Origin", "http://hbd:50004"))).isTrue();
        assertThat(Csrf.sameOrigin(request("Host", "HBD:50004", "Origin", "https://hbd:50004"))).isTrue();
        assertThat(Csrf.sameOrigin(request("Host", "hbd", "Origin", "http://hbd"))).isTrue();
        assertThat(Csrf.sameOrigin(request("Host", "hbd", "Origin", "https://hbd:443"))).isTrue();
        assertThat(Csrf.sameOrigin(request("Host", "[::1]:50004", "Origin", "http://[::1]:50004"))).isTrue();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Referer", "http://hbd:50004/live?x=1"))).isTrue();

        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004"))).as("neither header").isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Origin", "http://evil:50004"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Origin", "http://hbd:8080"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Origin", "null"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd", "Origin", "http://hbd.evil"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Origin", "http://evil",
                "Referer", "http://hbd:50004/live"))).as("Origin decides when present").isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Referer", "http://hbd:50004@evil/"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Host", "hbd:50004", "Referer", "ftp://hbd:50004/"))).isFalse();
        assertThat(Csrf.sameOrigin(request("Origin", "http://hbd:50004"))).as("no Host").isFalse();
    }

    @Test
    void aForeignOriginIsOneThatIsPresentAndNotTheHost() {
        assertThat(Csrf.foreignOrigin(request("Host", "hbd:50004"))).as("scripts send none").isFalse();
        assertThat(Csrf.foreignOrigin(request("Host", "hbd:50004", "Origin", "http://hbd:50004"))).isFalse();
        assertThat(Csrf.foreignOrigin(request("Host", "hbd:50004", "Origin", "http://evil"))).isTrue();
        assertThat(Csrf.foreignOrigin(request("Host", "hbd:50004", "Origin", "null"))).isTrue();
    }

    @Test
    void afterLoginOnlyLocalPaths() {
        assertThat(Csrf.localPath("/plugins/web1?range=1h")).isEqualTo("/plugins/web1?range=1h");
        assertThat(Csrf.localPath("/alerts")).isEqualTo("/alerts");
        for (String bad : new String[] {null, "", "live", "//evil.example/", "/\\evil.example", "http://evil/",
                "/live\r\nSet-Cookie: x", "/a b", "/login?next=/x", "/logout"}) {
            assertThat(Csrf.localPath(bad)).as(String.valueOf(bad)).isEqualTo("/live");
        }
    }

    @Test
    void theSessionCookieAmongOthers() {
        assertThat(Csrf.cookie(request("Cookie", "a=1; hb_session=abc; b=2"), "hb_session")).isEqualTo("abc");
        assertThat(Csrf.cookie(request("Cookie", "xhb_session=abc"), "hb_session")).isNull();
        assertThat(Csrf.cookie(request("Cookie", "hb_session="), "hb_session")).isNull();
        assertThat(Csrf.cookie(request(), "hb_session")).isNull();
    }
}
