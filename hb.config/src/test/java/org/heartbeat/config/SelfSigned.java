package org.heartbeat.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes a self-signed certificate and its PKCS#8 key with {@code openssl}, for tests. */
final class SelfSigned {
    private SelfSigned() {
    }

    /** Writes {@code name}.cert.pem and {@code name}.key.pem into {@code dir}; {@code keyType} is rsa:2048 or ec. */
    static Path[] make(Path dir, String name, String keyType) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + ".cert.pem");
        Path key = dir.resolve(name + ".key.pem");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj",
                "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(),
                "-out", cert.toString()));
        if (keyType.equals("ec")) {
            cmd.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        } else {
            cmd.addAll(List.of("-newkey", keyType));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
        return new Path[] {cert, key};
    }
}
