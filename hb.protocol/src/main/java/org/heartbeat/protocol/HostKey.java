package org.heartbeat.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A host's 256-bit secret key, which signs and verifies datagrams with HMAC-SHA256. Its text form, in
 * key files and configuration, is one line of standard base64 (44 characters).
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} never shows the key.
 */
public final class HostKey {
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    });

    private final SecretKeySpec spec;
    private final String fingerprint;

    private HostKey(byte[] key) {
        if (key.length != Protocol.KEY_LENGTH) {
            throw new IllegalArgumentException("a host key is " + Protocol.KEY_LENGTH + " bytes (256 bits), not "
                    + key.length);
        }
        this.spec = new SecretKeySpec(key, "HmacSHA256");
        this.fingerprint = fingerprintOf(key);
    }

    /** A new random key from a strong source. */
    public static HostKey generate() {
        byte[] key = new byte[Protocol.KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        return new HostKey(key);
    }

    /** The key of these 32 bytes. */
    public static HostKey of(byte[] key) {
        return new HostKey(key.clone());
    }

    /**
     * Parses the base64 text form; surrounding white space is ignored.
     *
     * @throws IllegalArgumentException when the text is not base64 of exactly 32 bytes
     */
    public static HostKey parse(String base64) {
        String text = base64.strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a host key must be 44 characters of base64");
        }
        HostKey parsed = new HostKey(key);
        if (!parsed.toBase64().equals(text)) {
            // unpadded or with stray bits in the last character: another text for the same key
            throw new IllegalArgumentException("a host key must be 44 characters of base64, padding included");
        }
        return parsed;
    }

    /** Reads a key file: the first non-empty line is the base64 key; lines starting with # are comments. */
    public static HostKey read(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                try {
                    return parse(s);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IOException(file + ": no key in file");
    }

    /** The base64 text form. Handle with care: this is the secret. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(spec.getEncoded());
    }

    /** A short, non-secret identifier of the key for logs: the first 8 hex digits of its SHA-256. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Computes the MAC of the {@code length} bytes at absolute {@code offset} of {@code buf} and writes it
     * at absolute {@code macOffset}.
     */
    void sign(ByteBuffer buf, int offset, int length, int macOffset) {
        byte[] tag = mac(buf, offset, length);
        buf.put(macOffset, tag);
    }

    /**
     * Whether the datagram between the buffer's position and limit carries the signed flag and a valid MAC
     * made with this key. The comparison takes the same time whatever the bytes.
     */
    public boolean verify(ByteBuffer datagram) {
        int start = datagram.position();
        int length = datagram.remaining();
        if (length < 5 + Protocol.MAC_LENGTH || (datagram.get(start + 4) & Protocol.FLAG_SIGNED) == 0) {
            return false;
        }
        int signedLength = length - Protocol.MAC_LENGTH;
        byte[] expected = mac(datagram, start, signedLength);
        byte[] actual = new byte[Protocol.MAC_LENGTH];
        datagram.get(start + signedLength, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] mac(ByteBuffer buf, int offset, int length) {
        Mac mac = MAC.get();
        try {
            mac.init(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer view = buf.duplicate();
        view.limit(offset + length).position(offset);
        mac.update(view);
        return mac.doFinal();
    }

    private static String fingerprintOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                sb.append(String.format("%02x", digest[i]));
            }
            return sb.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKey other && MessageDigest.isEqual(spec.getEncoded(), other.spec.getEncoded());
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "HostKey[" + fingerprint + "]";
    }
}
