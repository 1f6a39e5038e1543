package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsConfigTest {
    @TempDir
    static Path dir;
    static Path rsaCert;
    static Path rsaKey;
    static Path ecCert;
    static Path ecKey;

    @BeforeAll
    static void certificates() throws Exception {
        Path[] rsa = SelfSigned.make(dir, "rsa", "rsa:2048");
        rsaCert = rsa[0];
        rsaKey = rsa[1];
        Path[] ec = SelfSigned.make(dir, "ec", "ec");
        ecCert = ec[0];
        ecKey = ec[1];
        for (Path key : List.of(rsaKey, ecKey)) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void anRsaAndAnEcPairBecomeAKeyStoreThatHoldsThem() throws Exception {
        for (Path[] pair : List.of(new Path[] {rsaCert, rsaKey}, new Path[] {ecCert, ecKey})) {
            List<X509Certificate> chain = TlsFiles.certificates(pair[0]);
            PrivateKey key = TlsFiles.privateKey(pair[1]);
            assertThat(TlsFiles.matches(key, chain.get(0))).isTrue();
            char[] password = "pw-of-the-test".toCharArray();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TlsFiles.keyStore(chain, key, password).store(bytes, password);

            KeyStore read = KeyStore.getInstance("PKCS12");
            read.load(new ByteArrayInputStream(bytes.toByteArray()), password);
            assertThat(read.getKey("hbd", password).getEncoded()).isEqualTo(key.getEncoded());
            assertThat(read.getCertificateChain("hbd")).containsExactly(chain.get(0));
        }
    }

    @Test
    void aConfigurationWithAMatchingPairServesHttps() throws Exception {
        ServerConfig c = ServerConfig.parse("tls_cert: " + rsaCert + "\ntls_key: " + rsaKey
                + "\ntrusted_proxies: [127.0.0.1, \"::1\"]\n");
        assertThat(c.tls().enabled()).isTrue();
        assertThat(c.tls().cert()).isEqualTo(rsaCert);
        assertThat(c.tls().fingerprint()).isEqualTo(TlsFiles.fingerprint(TlsFiles.certificates(rsaCert).get(0)))
                .hasSize(64);
        assertThat(c.tls().trustedProxies()).containsExactly("127.0.0.1", "::1");
        assertThat(c.warnings()).isEmpty();
        assertThat(ServerConfig.parse("hbd_port: 1\n").tls().enabled()).isFalse();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedWithKeyAndLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("tls_cert: " + rsaCert + "\ntls_key: " + ecKey + "\n"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly("tls_key: this key does not"
                + " belong to the certificate in " + rsaCert + " (the first certificate must be the server's own)"
                + " (line 2)");
    }

    @Test
    void missingAndNonPemFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nope.pem");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("tls_cert: " + missing + "\ntls_key: " + text + "\n"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "tls_cert: " + missing + " does not exist or is not a file (line 1)",
                "tls_key: " + text + " holds no PEM private key (-----BEGIN PRIVATE KEY-----) (line 2)");

        ConfigException swapped = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("tls_cert: " + rsaKey + "\ntls_key: " + rsaCert + "\n"));
        assertThat(swapped.problems()).extracting(ConfigProblem::toString).containsExactly(
                "tls_cert: " + rsaKey + " holds no PEM certificate (-----BEGIN CERTIFICATE-----) (line 1)",
                "tls_key: " + rsaCert + " holds no PEM private key (-----BEGIN PRIVATE KEY-----) (line 2)");
    }

    @Test
    void anOldFormatKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        String pkcs8 = Files.readString(rsaKey);
        Path old = Files.writeString(dir.resolve("old.pem"), pkcs8.replace("PRIVATE KEY", "RSA PRIVATE KEY"));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("tls_cert: " + rsaCert + "\ntls_key: " + old + "\n"));
        assertThat(e.problems()).singleElement().asString().startsWith("tls_key: " + old + " holds an RSA key in"
                + " the older format; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + old);
    }

    @Test
    void onlyOneOfTheTwoIsAnError() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("tls_cert: " + rsaCert + "\n"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "tls_cert: tls_key is missing: HTTPS needs the certificate's private key too (line 1)");
    }

    @Test
    void aKeyOthersMayReadIsWarnedAbout() throws Exception {
        Path key = Files.copy(ecKey, dir.resolve("shared.key.pem"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        ServerConfig c = ServerConfig.parse("tls_cert: " + ecCert + "\ntls_key: " + key + "\n");
        assertThat(c.warnings()).extracting(ConfigProblem::toString).containsExactly(
                "tls_key: other users may read the private key; run: chmod 600 " + key + " (line 2)");
    }

    @Test
    void aProxyThatIsNoAddressIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.parse("trusted_proxies: [proxy.example.com]\n"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "trusted_proxies: \"proxy.example.com\" is not an IP address, such as 127.0.0.1 or ::1 (line 1)");
    }
}
