package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class ForwardedHeadersTest {
    private static final Set<InetAddress> PROXY = Set.of(ForwardedHeaders.literal("127.0.0.1"),
            ForwardedHeaders.literal("::1"));

    /** A plain-HTTP request from {@code remote} to hbd on 10.0.0.5:50004, with these headers (name, value, ...). */
    private static HttpServletRequest request(String remote, String... headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        h.put("host", new ArrayList<>(List.of("10.0.0.5:50004")));
        for (int i = 0; i < headers.length; i += 2) {
            String name = headers[i].toLowerCase(Locale.ROOT);
            if (name.equals("host")) {
                h.remove("host");
            }
            h.computeIfAbsent(name, k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(ForwardedHeadersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remote;
                    case "isSecure" -> false;
                    case "getScheme" -> "http";
                    case "getServerName" -> "10.0.0.5";
                    case "getServerPort" -> 50004;
                    case "getHeader" -> {
                        List<String> v = h.get(((String) a[0]).toLowerCase(Locale.ROOT));
                        yield v == null ? null : v.get(0);
                    }
                    case "getHeaders" -> Collections.enumeration(h.getOrDefault(((String) a[0])
                            .toLowerCase(Locale.ROOT), List.of()));
                    default -> null;
                });
    }

    @Test
    void aTrustedProxysForwardedHeadersAreTheBrowsersView() {
        HttpServletRequest r = ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "hb.example.com", "X-Forwarded-For", "198.51.100.7, 203.0.113.9"), PROXY);
        assertThat(r.isSecure()).isTrue();
        assertThat(r.getScheme()).isEqualTo("https");
        assertThat(r.getHeader("Host")).isEqualTo("hb.example.com");
        assertThat(Collections.list(r.getHeaders("host"))).containsExactly("hb.example.com");
        assertThat(r.getServerName()).isEqualTo("hb.example.com");
        assertThat(r.getServerPort()).isEqualTo(443);
        // the last address is the one the proxy saw; earlier ones are the client's own say
        assertThat(r.getRemoteAddr()).isEqualTo("203.0.113.9");
        assertThat(Csrf.foreignOrigin(withOrigin(r, "https://hb.example.com"))).isFalse();
    }

    @Test
    void theForwardedHeaderCountsBeforeTheXForwardedOnes() {
        HttpServletRequest r = ForwardedHeaders.view(request("::1",
                "Forwarded", "for=192.0.2.1;proto=http, for=\"[2001:db8::7]\";proto=https;host=\"hb.example.com:8443\"",
                "X-Forwarded-Proto", "http"), PROXY);
        assertThat(r.isSecure()).isTrue();
        assertThat(r.getHeader("Host")).isEqualTo("hb.example.com:8443");
        assertThat(r.getServerPort()).isEqualTo(8443);
        assertThat(r.getRemoteAddr()).isEqualTo("2001:db8::7");
    }

    @Test
    void fromAnyOtherAddressTheHeadersAreIgnored() {
        HttpServletRequest original = request("192.0.2.50", "X-Forwarded-Proto", "https", "X-Forwarded-Host",
                "evil.example", "X-Forwarded-For", "127.0.0.1");
        HttpServletRequest r = ForwardedHeaders.view(original, PROXY);
        assertThat(r).isSameAs(original);
        assertThat(r.isSecure()).isFalse();
        assertThat(r.getHeader("Host")).isEqualTo("10.0.0.5:50004");
        assertThat(r.getRemoteAddr()).isEqualTo("192.0.2.50");
        assertThat(ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Proto", "https"), Set.of()).isSecure())
                .isFalse();
    }

    @Test
    void malformedValuesAreIgnoredAndAProxyWithoutHeadersChangesNothing() {
        HttpServletRequest r = ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Proto", "gopher",
                "X-Forwarded-Host", "a b/c", "X-Forwarded-For", "not-an-address"), PROXY);
        assertThat(r.isSecure()).isFalse();
        assertThat(r.getHeader("Host")).isEqualTo("10.0.0.5:50004");
        assertThat(r.getRemoteAddr()).isEqualTo("127.0.0.1");
        HttpServletRequest plain = request("127.0.0.1");
        assertThat(ForwardedHeaders.view(plain, PROXY)).isSameAs(plain);
    }

    @Test
    void aTrustedProxysBasePathIsTheBaseOfLinksAndNobodyElsesIs() {
        HttpServletRequest r = ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Prefix", "/heartbeat/"),
                PROXY);
        assertThat(ForwardedHeaders.base(r)).isEqualTo("/heartbeat");
        assertThat(ForwardedHeaders.base(ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Prefix",
                "/tools/hb"), PROXY))).isEqualTo("/tools/hb");
        assertThat(ForwardedHeaders.base(ForwardedHeaders.view(request("127.0.0.1"), PROXY))).isEmpty();
        assertThat(ForwardedHeaders.base(ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Prefix", "/"),
                PROXY))).as("the root").isEmpty();

        // from elsewhere the header is hidden from everything behind this preprocessor
        HttpServletRequest other = ForwardedHeaders.view(request("192.0.2.50", "X-Forwarded-Prefix", "/evil"), PROXY);
        assertThat(ForwardedHeaders.base(other)).isEmpty();
        assertThat(Collections.list(other.getHeaders("x-forwarded-prefix"))).isEmpty();

        // what is no path of plain segments is dropped, never passed on into a Location or a link
        for (String bad : new String[] {"heartbeat", "//evil.example", "/a/../b", "/..", "/a b", "/a\"b",
                "https://evil.example/x", "/%2e%2e", "/a?b", "/a#b"}) {
            HttpServletRequest r2 = ForwardedHeaders.view(request("127.0.0.1", "X-Forwarded-Prefix", bad), PROXY);
            assertThat(ForwardedHeaders.base(r2)).as(bad).isEmpty();
        }
    }

    private static HttpServletRequest withOrigin(HttpServletRequest r, String origin) {
        return new jakarta.servlet.http.HttpServletRequestWrapper(r) {
            @Override
            public String getHeader(String name) {
                return name.equalsIgnoreCase("Origin") ? origin : super.getHeader(name);
            }
        };
    }
}
