package org.heartbeat.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate chain and private key of {@code tls_cert} and {@code tls_key}, read from PEM files with
 * {@code java.security} alone: {@link ServerConfig} checks them when it loads, the HTTP bundle turns them into the
 * PKCS#12 key store its server reads ({@link #keyStore}), the command line trusts the certificate when it calls the
 * daemon. Every method runs on its caller's thread; a failure is an {@link IOException} whose message names the
 * problem (never a key's bytes) and, where it helps, the {@code openssl} command that fixes it.
 */
public final class TlsFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private TlsFiles() {
    }

    /**
     * The certificates of a PEM file, the server's own first (a chain: the server's, then its issuers').
     *
     * @throws IOException when the file cannot be read, holds no {@code CERTIFICATE} block, or a block is not one
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        String text = read(file);
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this Java has no X.509 support", e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
            } catch (CertificateException | IllegalArgumentException e) {
                throw new IOException("certificate " + (chain.size() + 1) + " in " + file + " is not a valid X.509"
                        + " certificate");
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /**
     * The private key of a PEM file in PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), RSA, EC or Ed25519.
     *
     * @throws IOException when the file cannot be read, or holds no unencrypted PKCS#8 key (the message says how
     *         to convert a PKCS#1 or SEC 1 key, or to decrypt an encrypted one)
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        String text = read(file);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "PRIVATE KEY" -> {
                    byte[] der;
                    try {
                        der = decode(m.group(2));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + ": the private key is not valid base64");
                    }
                    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                        } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                            // try the next algorithm
                        }
                    }
                    throw new IOException(file + ": the private key is not an RSA, EC or Ed25519 PKCS#8 key");
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + " holds an "
                        + m.group(1).replace(" PRIVATE KEY", "") + " key in the older format; convert it to PKCS#8"
                        + " with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + " holds an encrypted key; hbd needs it"
                        + " unencrypted (and the file private): openssl pkcs8 -in " + file + " -out key.pem");
                default -> {
                    // a certificate or parameters next to the key: skip
                }
            }
        }
        throw new IOException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: it signs, the certificate verifies. */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A PKCS#12 key store holding the key and its chain under the alias {@code hbd}, key and store protected by
     * {@code password}.
     */
    public static KeyStore keyStore(List<X509Certificate> chain, PrivateKey key, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry("hbd", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** The SHA-256 fingerprint of a certificate, in lower-case hex: public, and changes when the certificate does. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist or is not a file");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + " is not a PEM file (it holds binary data; convert DER with: openssl x509"
                    + " -inform der -in " + file + ")");
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
    }
}
