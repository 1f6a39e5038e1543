package org.heartbeat.notify.email.internal;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed server certificates made with the openssl command for the TLS tests. */
final class Certificates {
    /** A certificate and its private key, both PEM files. */
    record Pair(Path certificate, Path key) {
    }

    private Certificates() {
    }

    /**
     * A self-signed EC certificate for the given subject alternative names, such as
     * {@code DNS:localhost,IP:127.0.0.1}, valid for two days.
     */
    static Pair selfSigned(Path dir, String name, String subjectAltNames) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=" + subjectAltNames,
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("the openssl command is missing; install it with: apt-get install -y openssl (" + e + ")");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return fail("openssl could not make a certificate: " + output);
        }
        return new Pair(cert, key);
    }
}
