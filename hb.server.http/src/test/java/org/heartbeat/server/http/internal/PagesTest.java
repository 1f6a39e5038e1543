package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PagesTest {
    @Test
    void theWayBackToTheRootIsRelativeSoThatItHoldsUnderABasePath() {
        assertThat(Pages.root("/login")).isEqualTo("./");
        assertThat(Pages.root("/")).isEqualTo("./");
        assertThat(Pages.root("/plugins/web1")).isEqualTo("../");
        assertThat(Pages.root("/system/console/bundles")).isEqualTo("../../");
        // resolved as a browser does, under a proxy's /heartbeat
        assertThat(java.net.URI.create("https://example.org/heartbeat/plugins/web1")
                .resolve(Pages.root("/plugins/web1") + "live").getPath()).isEqualTo("/heartbeat/live");
    }

    @Test
    void anErrorPageLinksToTheHostsAndTheStatusRelatively() throws Exception {
        java.io.StringWriter body = new java.io.StringWriter();
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        int[] status = {0};
        jakarta.servlet.http.HttpServletResponse resp = (jakarta.servlet.http.HttpServletResponse)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {jakarta.servlet.http.HttpServletResponse.class}, (p, m, a) -> switch (
                                m.getName()) {
                            case "getWriter" -> new java.io.PrintWriter(body);
                            case "setStatus" -> status[0] = (Integer) a[0];
                            case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                            case "isCommitted" -> false;
                            default -> null;
                        });
        Pages.error(resp, "/plugins/web1/extra", 404, "no page <here>");
        assertThat(status[0]).isEqualTo(404);
        assertThat(body.toString()).contains("<p>no page &lt;here&gt;</p>")
                .contains("<a href=\"../../live\">Hosts</a>").contains("<a href=\"../../api/status\">")
                .doesNotContain("href=\"/");
    }
}
