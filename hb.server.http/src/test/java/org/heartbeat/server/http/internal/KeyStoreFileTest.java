package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Dictionary;
import java.util.concurrent.TimeUnit;

import org.heartbeat.config.TlsFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreFileTest {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    @BeforeAll
    static void certificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        openssl(cert, key, "rsa:2048");
    }

    static void openssl(Path cert, Path key, String keyType) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-newkey", keyType, "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
    }

    @Test
    void theKeyStoreIsPrivateAndHoldsThePairUnderTheReturnedPassword() throws Exception {
        Path target = dir.resolve("state").resolve("hb.pick-https.p12");
        String password = KeyStoreFile.write(cert, key, target);

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(target)) {
            store.load(in, password.toCharArray());
        }
        X509Certificate server = TlsFiles.certificates(cert).get(0);
        assertThat(store.getCertificateChain("hbd")).containsExactly(server);
        assertThat(store.getKey("hbd", password.toCharArray()).getEncoded())
                .isEqualTo(TlsFiles.privateKey(key).getEncoded());
        assertThat(Files.list(target.getParent())).containsExactly(target);

        String again = KeyStoreFile.write(cert, key, target);
        assertThat(again).isNotEqualTo(password).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAndNothingWritten() throws Exception {
        Path otherCert = dir.resolve("other.cert.pem");
        Path otherKey = dir.resolve("other.key.pem");
        openssl(otherCert, otherKey, "ec:" + ecParams());
        Path target = dir.resolve("mismatch").resolve("ks.p12");
        IOException e = catchThrowableOfType(IOException.class, () -> KeyStoreFile.write(cert, otherKey, target));
        assertThat(e).hasMessage("the key in " + otherKey + " does not belong to the certificate in " + cert);
        assertThat(target).doesNotExist();
    }

    @Test
    void withAKeyStoreBothInstancesServeHttpsOnlyOnTheirPort() {
        HttpInstances.Tls tls = new HttpInstances.Tls("ab12", "/state/ks.p12", "secret-password");
        Dictionary<String, Object> d = HttpInstances.instance("ws", "127.0.0.1", 50005, tls);
        assertThat(d.get("org.apache.felix.http.enable")).isEqualTo(false);
        assertThat(d.get("org.apache.felix.https.enable")).isEqualTo(true);
        assertThat(d.get("org.osgi.service.http.port.secure")).isEqualTo(50005);
        assertThat(d.get("org.osgi.service.http.port")).isNull();
        assertThat(d.get("org.apache.felix.https.keystore")).isEqualTo("/state/ks.p12");
        assertThat(d.get("org.apache.felix.https.keystore.type")).isEqualTo("PKCS12");
        assertThat(d.get("org.apache.felix.https.keystore.password")).isEqualTo("secret-password");
        assertThat(d.get("org.apache.felix.https.keystore.key.password")).isEqualTo("secret-password");
        assertThat(tls.toString()).doesNotContain("secret-password");

        Dictionary<String, Object> plain = HttpInstances.instance("hbd", "", 50004, null);
        assertThat(plain.get("org.apache.felix.http.enable")).isEqualTo(true);
        assertThat(plain.get("org.apache.felix.https.enable")).isEqualTo(false);
        assertThat(plain.get("org.osgi.service.http.port")).isEqualTo(50004);
        assertThat(plain.get("org.apache.felix.https.keystore")).isNull();
    }

    private static String ecParams() throws IOException, InterruptedException {
        Path params = dir.resolve("ec.params");
        Process p = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-out", params.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return params.toString();
    }
}
