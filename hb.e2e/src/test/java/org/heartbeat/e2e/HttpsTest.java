package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * README, "HTTPS": with tls_cert and tls_key, the real bin/hbd serves HTTPS (with HSTS) and WSS on hbd_port and
 * ws_port, and nothing in plain HTTP there; {@code hbd check} and the other commands that call the daemon find it
 * over HTTPS and trust the configured (here self-signed) certificate, whose name is not the address they call; the
 * session cookie is Secure. README, "Behind a reverse proxy": from trusted_proxies, X-Forwarded-Proto and
 * X-Forwarded-Host make the request the browser's (HSTS, Secure cookie, same-origin check); from elsewhere they count
 * for nothing.
 */
class HttpsTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** A self-signed certificate for localhost (no IP address in it), and its PKCS#8 key (mode 600). */
    private static Path[] selfSigned(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl: " + output).isTrue();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new Path[] {cert, key};
    }

    /** An SSLContext that trusts exactly {@code cert}. */
    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("hbd", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A user alice (password "s3cret horse"), as configuration text. */
    private static String alice(Path dir) throws Exception {
        return "users:\n  alice:\n    password: " + UsersTest.passwordHash(dir, "alice", "s3cret horse")
                + "\n    admin: true\n";
    }

    private static HttpRequest login(String base, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=s3cret+horse&next=%2Flive"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    @Test
    void behindATrustedProxyTheForwardedSchemeAndHostAreTheBrowsers(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "trusted_proxies: [127.0.0.1, \"::1\"]\n" + alice(dir))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String direct = "http://127.0.0.1:" + hbd.httpPort;
            HttpResponse<String> proxied = client.send(login(direct, "Origin", "https://hb.example.com",
                    "X-Forwarded-Proto", "https", "X-Forwarded-Host", "hb.example.com",
                    "X-Forwarded-For", "198.51.100.7"), HttpResponse.BodyHandlers.ofString());
            assertThat(proxied.statusCode()).isEqualTo(303);
            assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
            assertThat(proxied.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

            // without the proxy's headers the same origin is another site's, and the connection plain HTTP
            HttpResponse<String> plain = client.send(login(direct, "Origin", "https://hb.example.com"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(403);
            assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
            HttpResponse<String> local = client.send(login(direct, "Origin", direct),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(local.statusCode()).isEqualTo(303);
            assertThat(local.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");

            // the WebSocket handshake through the proxy: the browser's Origin against the forwarded host
            RunningProcess create = Clients.hbd(dir, "token", "create", "-c", hbd.config.toString(), "alice");
            assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isZero();
            Matcher token = Pattern.compile("hbt_[A-Za-z0-9_-]{43}").matcher(create.output());
            assertThat(token.find()).as(create.output()).isTrue();
            String ws = "ws://127.0.0.1:" + hbd.httpPort + "/ws";
            LiveUpdatesTest.Client live = LiveUpdatesTest.connect(ws, java.util.Map.of("Origin",
                    "https://hb.example.com", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "hb.example.com",
                    "Authorization", "Bearer " + token.group()));
            assertThat(live.await(m -> m.path("type").asText().equals("snapshot"), Duration.ofSeconds(5)).json()
                    .path("hosts").isArray()).isTrue();
            live.close();
            assertThat(LiveUpdatesTest.refused(ws, java.util.Map.of("Origin", "https://hb.example.com",
                    "Authorization", "Bearer " + token.group()))).isEqualTo(403);
        }
    }

    @Test
    void forwardedHeadersFromAnAddressNotTrustedChangeNothing(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort
                    + "/api/status")).header("X-Forwarded-Proto", "https").header("Forwarded", "proto=https")
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void bothPortsSpeakOnlyTlsAndTheCommandLineTrustsTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        Path[] pair = selfSigned(dir);
        Path config = Hbd.writeConfig(dir, "tls_cert: " + pair[0] + "\ntls_key: " + pair[1] + "\n" + alice(dir));
        try (Hbd hbd = Hbd.startWith(dir, config)) {
            assertThat(hbd.process.output()).contains(", HTTPS :" + hbd.httpPort + ", WSS :" + hbd.wsPort);
            Path keystore = dir.resolve("hb.pick-https.p12");
            assertThat(Files.getPosixFilePermissions(keystore)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pair[0]))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> status = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + hbd.httpPort + "/api/status")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            "alice:s3cret horse".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(status.body()).path("phase").asText()).isEqualTo("ready");
            assertThat(status.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int port : List.of(hbd.httpPort, hbd.wsPort)) {
                Throwable refused = catchThrowable(() -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/status")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString()));
                assertThat(refused).as("plain HTTP to port " + port).isInstanceOf(IOException.class);
            }

            String base = "https://localhost:" + hbd.httpPort;
            HttpResponse<String> login = https.send(login(base, "Origin", base), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").endsWith("; Secure");

            RunningProcess create = Clients.hbd(dir, "token", "create", "-c", config.toString(), "alice");
            assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isZero();
            Matcher token = Pattern.compile("hbt_[A-Za-z0-9_-]{43}").matcher(create.output());
            assertThat(token.find()).as(create.output()).isTrue();

            LiveUpdatesTest.Client client = new LiveUpdatesTest.Client();
            client.socket = https.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .header("Origin", "https://localhost:" + hbd.wsPort)
                    .header("Authorization", "Bearer " + token.group())
                    .buildAsync(URI.create("wss://localhost:" + hbd.wsPort + "/"), client).get(10, TimeUnit.SECONDS);
            assertThat(client.await(m -> m.path("type").asText().equals("snapshot"), Duration.ofSeconds(5)).json()
                    .path("hosts").isArray()).isTrue();
            client.close();

            hbd.pinPorts();
            RunningProcess check = RunningProcess.start("hbd check", dir, List.of(Dist.HBD.toString(), "check", "-c",
                    config.toString(), "--token", token.group(), "web1"));
            assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
            assertThat(check.output()).contains("HEARTBEAT UNKNOWN - hbd does not know host web1");
            RunningProcess alerts = RunningProcess.start("hbd alerts", dir, List.of(Dist.HBD.toString(), "alerts",
                    "-c", config.toString(), "--token", token.group()));
            assertThat(alerts.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(alerts.output()).containsIgnoringCase("no active alerts");

            // a renewed certificate: a reload rebuilds the key store and the ports serve the new one
            Path[] renewed = selfSigned(Files.createDirectories(dir.resolve("renewed")));
            Files.write(pair[0], Files.readAllBytes(renewed[0]));
            Files.write(pair[1], Files.readAllBytes(renewed[1]));
            RunningProcess reload = Clients.hbd(dir, "reload", "-c", config.toString());
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).as(reload.output()).isZero();
            HttpClient renewedClient = HttpClient.newBuilder().sslContext(trusting(renewed[0]))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest publicPage = HttpRequest.newBuilder(URI.create(base + "/login"))
                    .timeout(Duration.ofSeconds(10)).build();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> renewedClient.send(publicPage,
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            assertThat(catchThrowable(() -> https.send(publicPage, HttpResponse.BodyHandlers.ofString())))
                    .as("the old certificate is no longer served").isInstanceOf(IOException.class);
        }
    }
}
