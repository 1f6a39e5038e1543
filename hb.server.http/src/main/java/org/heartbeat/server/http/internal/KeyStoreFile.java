package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.heartbeat.config.TlsFiles;

/**
 * The PKCS#12 key store Felix HTTP reads for HTTPS, written from {@code tls_cert} and {@code tls_key} (Felix wants a
 * key store file; operators have PEM files). {@link HttpInstances} writes it when {@code hbd} starts and when a reload
 * brings another certificate, on the configuration thread. The file is private to the user (0600, written beside
 * and moved into place, so it is never readable by others, not even for a moment), and protected by a random
 * password that only the HTTP instances' configuration holds; it is written anew at each start.
 */
final class KeyStoreFile {
    private KeyStoreFile() {
    }

    /**
     * Reads the PEM files and writes the key store to {@code target}.
     *
     * @return the store's (and key's) password, fresh and random
     * @throws IOException naming the file when a PEM file cannot be read or the key is not the certificate's, or
     *         when the store cannot be written
     */
    static String write(Path cert, Path key, Path target) throws IOException {
        List<X509Certificate> chain = TlsFiles.certificates(cert);
        PrivateKey privateKey = TlsFiles.privateKey(key);
        if (!TlsFiles.matches(privateKey, chain.get(0))) {
            throw new IOException("the key in " + key + " does not belong to the certificate in " + cert);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                TlsFiles.keyStore(chain, privateKey, password.toCharArray()).store(out, password.toCharArray());
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write the key store " + target + ": " + e.getMessage());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return password;
    }
}
