package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** The REST API's shape: JSON everywhere, the error body, methods. */
class ApiTest {
    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void close() {
        hbd.close();
    }

    @Test
    void hostsIsAJsonArray() throws Exception {
        HbdUnderTest.Response r = hbd.get("/api/hosts");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.body().isArray()).isTrue();
    }

    @Test
    void anUnknownHostIs404WithTheErrorBody() throws Exception {
        HbdUnderTest.Response r = hbd.get("/api/hosts/no-such-host");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("status").asInt()).isEqualTo(404);
        assertThat(r.body().path("error").asText()).contains("no-such-host");
    }

    @Test
    void anUnknownResourceIs404WithTheErrorBody() throws Exception {
        HbdUnderTest.Response r = hbd.get("/api/nothing/here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("status").asInt()).isEqualTo(404);
    }

    @Test
    void writingToTheHostsIs405() throws Exception {
        HbdUnderTest.Response r = hbd.request(HttpRequest.newBuilder(hbd.uri("/api/hosts"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.body().path("status").asInt()).isEqualTo(405);
    }

    @Test
    void statusNamesVersionPortAndCounts() throws Exception {
        HbdUnderTest.Response r = hbd.get("/api/status");
        assertThat(r.status()).isEqualTo(200);
        String serverVersion = java.util.Arrays.stream(org.osgi.framework.FrameworkUtil.getBundle(ApiTest.class)
                .getBundleContext().getBundles()).filter(b -> "hb.server.http".equals(b.getSymbolicName())).findFirst()
                .orElseThrow().getVersion().toString();
        assertThat(r.body().path("version").asText()).isEqualTo(serverVersion);
        assertThat(r.body().path("udp_port").asInt()).isEqualTo(hbd.udpPort()).isPositive();
        assertThat(r.body().path("hosts").path("total").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(r.body().path("datagrams").has("received")).isTrue();
    }
}
