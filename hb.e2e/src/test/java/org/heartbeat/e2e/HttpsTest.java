package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * README, "HTTPS": with tls_cert and tls_key, the real bin/hbd serves HTTPS (with HSTS) and WSS on hbd_port and
 * ws_port, and nothing in plain HTTP there; {@code hbd check} and the other commands that call the daemon find it
 * over HTTPS and trust the configured (here self-signed) certificate, whose name is not the address they call.
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

    @Test
    void bothPortsSpeakOnlyTlsAndTheCommandLineTrustsTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        Path[] pair = selfSigned(dir);
        Path config = Hbd.writeConfig(dir, "tls_cert: " + pair[0] + "\ntls_key: " + pair[1] + "\n");
        try (Hbd hbd = Hbd.startWith(dir, config)) {
            assertThat(hbd.process.output()).contains(", HTTPS :" + hbd.httpPort + ", WSS :" + hbd.wsPort);
            Path keystore = dir.resolve("hb.pick-https.p12");
            assertThat(Files.getPosixFilePermissions(keystore)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pair[0]))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> status = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + hbd.httpPort + "/api/status")).timeout(Duration.ofSeconds(10))
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

            LiveUpdatesTest.Client client = new LiveUpdatesTest.Client();
            client.socket = https.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .header("Origin", "https://localhost:" + hbd.wsPort)
                    .buildAsync(URI.create("wss://localhost:" + hbd.wsPort + "/"), client).get(10, TimeUnit.SECONDS);
            assertThat(client.await(m -> m.path("type").asText().equals("snapshot"), Duration.ofSeconds(5)).json()
                    .path("hosts").isArray()).isTrue();
            client.close();

            hbd.pinPorts();
            RunningProcess check = RunningProcess.start("hbd check", dir, List.of(Dist.HBD.toString(), "check", "-c",
                    config.toString(), "web1"));
            assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
            assertThat(check.output()).contains("HEARTBEAT UNKNOWN - hbd does not know host web1");
            RunningProcess alerts = RunningProcess.start("hbd alerts", dir, List.of(Dist.HBD.toString(), "alerts",
                    "-c", config.toString()));
            assertThat(alerts.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(alerts.output()).containsIgnoringCase("no active alerts");
        }
    }
}
