package org.heartbeat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.heartbeat.config.TlsFiles;

/**
 * Trust for the command line's calls to a daemon that serves HTTPS with {@code tls_cert}: exactly the server
 * certificate of that file (the first in it) is accepted, nothing else, so a self-signed certificate works and no
 * certificate authority can stand in for it. The host name is not checked against the certificate: the command line
 * connects by address ({@code 127.0.0.1}), and the certificate itself is pinned; it sends a name the certificate
 * holds as {@code Host} ({@link #hostFor}). Built on the calling thread for one command.
 */
final class PinnedCertificate implements X509TrustManager {
    private final X509Certificate pinned;
    private final Path file;

    PinnedCertificate(X509Certificate pinned, Path file) {
        this.pinned = pinned;
        this.file = file;
    }

    /**
     * A socket factory that trusts the server certificate in {@code cert}.
     *
     * @throws IOException naming the file when it cannot be read or holds no certificate
     */
    static SSLSocketFactory socketFactory(Path cert) throws IOException {
        X509Certificate server = TlsFiles.certificates(cert).get(0);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedCertificate(server, cert)}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The name to send as {@code Host} when calling {@code address} over HTTPS: null when the certificate names that
     * address (an IP address entry), else a name it holds (its first DNS name without a wildcard, else its common
     * name), since Jetty answers 400 to a Host its certificate does not name. Null when it holds no usable name.
     */
    static String hostFor(Path cert, String address) throws IOException {
        X509Certificate server = TlsFiles.certificates(cert).get(0);
        String bare = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
        String dns = null;
        try {
            java.util.Collection<java.util.List<?>> names = server.getSubjectAlternativeNames();
            for (java.util.List<?> n : names == null ? java.util.List.<java.util.List<?>>of() : names) {
                int type = (Integer) n.get(0);
                String value = String.valueOf(n.get(1));
                if (type == 7 && sameAddress(value, bare)) {
                    return null;
                }
                if (type == 2 && dns == null && !value.contains("*")) {
                    dns = value;
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // no usable names: fall back to the common name
        }
        if (dns != null) {
            return dns;
        }
        java.util.regex.Matcher cn = java.util.regex.Pattern.compile("(?:^|,\\s*)CN=([^,*]+)")
                .matcher(server.getSubjectX500Principal().getName());
        return cn.find() ? cn.group(1).strip() : null;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are IP literals here: no name is looked up
            return a.matches("[0-9A-Fa-f.:]+") && b.matches("[0-9A-Fa-f.:]+")
                    && java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
            throw new CertificateException("hbd presented another certificate than the one in tls_cert (" + file
                    + ")");
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {pinned};
    }
}
