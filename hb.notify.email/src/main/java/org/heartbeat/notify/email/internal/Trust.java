package org.heartbeat.notify.email.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of a channel: the JVM's certificate authorities, plus the certificates of {@code ca_file} when it
 * is set (a private CA, or a relay's self-signed certificate). Verification is never switched off: a certificate
 * must chain to one of these, and name the host (Jakarta Mail's {@code checkserveridentity}).
 */
final class Trust {
    private Trust() {
    }

    /** The JVM's default trust. */
    static SSLSocketFactory jvm() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no default TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The JVM's certificate authorities plus the certificates in the PEM file {@code caFile}.
     *
     * @throws IllegalArgumentException naming the key {@code ca_file} when the file cannot be read or holds no
     *         certificate
     */
    static SSLSocketFactory withCaFile(Path caFile) {
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(caFile)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("ca_file " + caFile + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("ca_file " + caFile + " cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ca_file " + caFile + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
        if (extra.isEmpty()) {
            throw new IllegalArgumentException("ca_file " + caFile + " holds no certificate");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate ca : jvmTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jvm-" + n++, ca);
            }
            for (Certificate c : extra) {
                anchors.setCertificateEntry("ca_file-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with ca_file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager jvmTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
