package org.heartbeat.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password hash in Werkzeug's format, the one the Python tool's configuration files hold:
 * {@code pbkdf2:sha256:ITERATIONS$SALT$HEX}, where {@code HEX} is PBKDF2-HMAC over the UTF-8 bytes of the password
 * with the salt's ASCII characters as salt, as many bytes as the hash function gives (32 for SHA-256), in lower-case
 * hex. Hashes made by Werkzeug's {@code generate_password_hash(..., method="pbkdf2:sha256")} verify here, and
 * hashes made here verify with Werkzeug's {@code check_password_hash}.
 *
 * <pre>{@code
 * String line = PasswordHash.create("hunter2".toCharArray()).text();  // pbkdf2:sha256:600000$k3Jq...$5e0c...
 * PasswordHash.parse(line).verify("hunter2");                          // true, after 600,000 iterations
 * }</pre>
 *
 * <p>New hashes use {@value #ITERATIONS} iterations of SHA-256 and a salt of {@value #SALT_LENGTH} letters and digits
 * from {@link SecureRandom} (as Werkzeug's {@code gen_salt}). Werkzeug's {@code pbkdf2:sha1}, {@code sha224},
 * {@code sha384} and {@code sha512} verify too. Werkzeug's newer default, {@code scrypt:N:r:p$...}, is refused by
 * {@link #problem(String)}, which says how to make a pbkdf2 hash instead ({@code hbd passwd NAME}).
 *
 * <p>Called by the configuration's checks ({@link #problem}), by {@code hbd passwd} and by {@code hbd}'s user
 * directory, from any thread. {@link #toString()} and every message here leave the hash out: it is a secret.
 */
public final class PasswordHash {
    /** Iterations of new hashes: OWASP's figure for PBKDF2-HMAC-SHA256, and Werkzeug 3.0's default. */
    public static final int ITERATIONS = 600_000;
    /** Characters of a new salt. */
    public static final int SALT_LENGTH = 16;

    private static final String SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Pattern PBKDF2 = Pattern.compile("pbkdf2:([a-z0-9]+)(?::([0-9]{1,10}))?");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A hash that would take longer than this to check is refused: it would stall every login. */
    private static final int MAX_ITERATIONS = 100_000_000;

    private final String algorithm;
    private final int iterations;
    private final String salt;
    private final String hex;

    private PasswordHash(String algorithm, int iterations, String salt, String hex) {
        this.algorithm = algorithm;
        this.iterations = iterations;
        this.salt = salt;
        this.hex = hex;
    }

    /** A new hash of a password: {@value #ITERATIONS} iterations, a random salt. */
    public static PasswordHash create(char[] password) {
        StringBuilder salt = new StringBuilder(SALT_LENGTH);
        for (int i = 0; i < SALT_LENGTH; i++) {
            salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        }
        return create(password, ITERATIONS, salt.toString());
    }

    /** A hash with the given iterations and salt (tests use few iterations so they stay fast). */
    public static PasswordHash create(char[] password, int iterations, String salt) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS);
        }
        if (salt.isEmpty() || salt.indexOf('$') >= 0) {
            throw new IllegalArgumentException("a salt is not empty and holds no '$'");
        }
        return new PasswordHash("sha256", iterations, salt, hex(derive("sha256", password, iterations, salt)));
    }

    /**
     * Reads a hash.
     *
     * @throws IllegalArgumentException when {@link #problem(String)} finds one; the message never holds the hash
     */
    public static PasswordHash parse(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String[] parts = text.split("\\$", 3);
        Matcher m = PBKDF2.matcher(parts[0]);
        m.matches();
        return new PasswordHash(m.group(1), Integer.parseInt(m.group(2)), parts[1], parts[2]);
    }

    /**
     * What is wrong with a hash's text, or null when it can be verified. The answer never quotes the text.
     */
    public static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "missing: the password's hash (make one with: hbd passwd NAME)";
        }
        String[] parts = text.split("\\$", 3);
        String method = parts[0];
        if (method.startsWith("scrypt")) {
            return "scrypt hashes are not supported; make a pbkdf2 hash with: hbd passwd NAME (or with Werkzeug: "
                    + "generate_password_hash(password, method=\"pbkdf2:sha256:600000\"))";
        }
        if (parts.length != 3) {
            return "not a password hash: expected pbkdf2:sha256:ITERATIONS$SALT$HASH (make one with: hbd passwd NAME)";
        }
        Matcher m = PBKDF2.matcher(method);
        if (!m.matches()) {
            return "unknown hash method (the part before the first '$'); expected pbkdf2:sha256:ITERATIONS (make one "
                    + "with: hbd passwd NAME)";
        }
        int length = digestLength(m.group(1));
        if (length == 0) {
            return "unknown hash function in pbkdf2:NAME; expected sha256 (or sha1, sha224, sha384, sha512)";
        }
        if (m.group(2) == null) {
            return "the number of iterations is missing (pbkdf2:sha256:ITERATIONS$...); its default depends on the "
                    + "Werkzeug version that made it; make a new hash with: hbd passwd NAME";
        }
        long iterations = Long.parseLong(m.group(2));
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return "iterations must be 1 to " + MAX_ITERATIONS;
        }
        if (parts[1].isEmpty()) {
            return "the salt (between the first and second '$') is empty";
        }
        if (parts[2].length() != 2 * length || !HEX.matcher(parts[2]).matches()) {
            return "the hash (after the second '$') must be " + 2 * length + " lower-case hex digits";
        }
        return null;
    }

    /**
     * Whether a password matches: computes the hash (slow by design: its iterations) and compares in constant time.
     */
    public boolean verify(String password) {
        Objects.requireNonNull(password, "password");
        byte[] computed = hex(derive(algorithm, password.toCharArray(), iterations, salt))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(computed, hex.getBytes(StandardCharsets.US_ASCII));
    }

    /** The hash as the configuration holds it: {@code pbkdf2:sha256:600000$SALT$HEX}. A secret: never log it. */
    public String text() {
        return "pbkdf2:" + algorithm + ":" + iterations + "$" + salt + "$" + hex;
    }

    /** The iterations, which say how slow a check is. */
    public int iterations() {
        return iterations;
    }

    /** Leaves salt and hash out. */
    @Override
    public String toString() {
        return "PasswordHash[pbkdf2:" + algorithm + ":" + iterations + "]";
    }

    private static byte[] derive(String algorithm, char[] password, int iterations, String salt) {
        // Java's PBKDF2 encodes the password's chars as UTF-8, as Werkzeug does (password.encode())
        PBEKeySpec spec = new PBEKeySpec(password, salt.getBytes(StandardCharsets.UTF_8), iterations,
                digestLength(algorithm) * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmac" + algorithm.toUpperCase(Locale.ROOT))
                    .generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no PBKDF2 with " + algorithm, e);
        } finally {
            spec.clearPassword();
        }
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "sha1" -> 20;
            case "sha224" -> 28;
            case "sha256" -> 32;
            case "sha384" -> 48;
            case "sha512" -> 64;
            default -> 0;
        };
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
