package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.heartbeat.config.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedCertificateTest {
    @TempDir
    Path dir;

    private Path certificate(String name, String subject, String san) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + ".cert.pem");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", subject,
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout",
                dir.resolve(name + ".key.pem").toString(), "-out", cert.toString()));
        if (san != null) {
            cmd.addAll(List.of("-addext", "subjectAltName=" + san));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
        return cert;
    }

    @Test
    void theHostSentIsANameTheCertificateHoldsUnlessItNamesTheAddressCalled() throws Exception {
        assertThat(PinnedCertificate.hostFor(certificate("ip", "/CN=hb.example.com",
                "DNS:hb.example.com,IP:127.0.0.1"), "127.0.0.1")).isNull();
        assertThat(PinnedCertificate.hostFor(certificate("ip6", "/CN=hb.example.com", "IP:::1"), "[::1]")).isNull();
        assertThat(PinnedCertificate.hostFor(certificate("dns", "/CN=other.example.com",
                "DNS:*.example.com,DNS:hb.example.com"), "127.0.0.1")).isEqualTo("hb.example.com");
        assertThat(PinnedCertificate.hostFor(certificate("cn", "/O=Heartbeat/CN=localhost", null), "127.0.0.1"))
                .isEqualTo("localhost");
    }

    @Test
    void onlyTheConfiguredCertificateIsTrusted() throws Exception {
        Path mine = certificate("mine", "/CN=localhost", null);
        Path other = certificate("other", "/CN=localhost", null);
        PinnedCertificate trust = trustManager(mine);
        X509Certificate[] served = TlsFiles.certificates(mine).toArray(X509Certificate[]::new);
        trust.checkServerTrusted(served, "ECDHE_ECDSA");

        X509Certificate[] impostor = TlsFiles.certificates(other).toArray(X509Certificate[]::new);
        CertificateException e = catchThrowableOfType(CertificateException.class,
                () -> trust.checkServerTrusted(impostor, "ECDHE_ECDSA"));
        assertThat(e).hasMessage("hbd presented another certificate than the one in tls_cert (" + mine + ")");
    }

    private static PinnedCertificate trustManager(Path cert) throws Exception {
        return new PinnedCertificate(TlsFiles.certificates(cert).get(0), cert);
    }
}
