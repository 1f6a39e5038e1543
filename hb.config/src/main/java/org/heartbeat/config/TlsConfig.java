package org.heartbeat.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * HTTPS on {@code hbd_port} and {@code ws_port}, and the reverse proxies whose forwarded headers are believed:
 *
 * <pre>
 * tls_cert: /etc/heartbeat/cert.pem   # the certificate chain, PEM, the server's certificate first
 * tls_key: /etc/heartbeat/key.pem     # its private key, PKCS#8 PEM, RSA, EC or Ed25519; chmod 600
 * trusted_proxies: [127.0.0.1]        # addresses whose X-Forwarded-* and Forwarded headers count
 * </pre>
 *
 * @param cert the certificate chain file, or null for plain HTTP
 * @param key the private key file, or null for plain HTTP
 * @param fingerprint the SHA-256 fingerprint of the server's certificate when it was checked (so that a reload
 *        notices a renewed certificate); empty for plain HTTP
 * @param trustedProxies addresses (IP literals) of reverse proxies; empty for none
 */
public record TlsConfig(Path cert, Path key, String fingerprint, List<String> trustedProxies) {
    public TlsConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Whether {@code hbd} serves HTTPS. */
    public boolean enabled() {
        return cert != null;
    }

    static TlsConfig from(Section root) {
        Path cert = root.path("tls_cert", null);
        Path key = root.path("tls_key", null);
        String fingerprint = "";
        if (cert != null && key == null) {
            root.error("tls_cert", "tls_key is missing: HTTPS needs the certificate's private key too");
        } else if (key != null && cert == null) {
            root.error("tls_key", "tls_cert is missing: HTTPS needs the certificate too");
        } else if (cert != null) {
            List<X509Certificate> chain = null;
            PrivateKey privateKey = null;
            try {
                chain = TlsFiles.certificates(cert);
                fingerprint = TlsFiles.fingerprint(chain.get(0));
            } catch (IOException e) {
                root.error("tls_cert", e.getMessage());
            }
            try {
                privateKey = TlsFiles.privateKey(key);
            } catch (IOException e) {
                root.error("tls_key", e.getMessage());
            }
            if (chain != null && privateKey != null && !TlsFiles.matches(privateKey, chain.get(0))) {
                root.error("tls_key", "this key does not belong to the certificate in " + cert
                        + " (the first certificate must be the server's own)");
            }
            if (privateKey != null && YamlFile.readableByOthers(key)) {
                root.warning("tls_key", "other users may read the private key; run: chmod 600 " + key);
            }
        }
        List<String> proxies = root.strings("trusted_proxies");
        for (String p : proxies) {
            if (!p.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
                root.error("trusted_proxies", "\"" + p + "\" is not an IP address, such as 127.0.0.1 or ::1");
            }
        }
        return new TlsConfig(cert, key, fingerprint, proxies);
    }
}
