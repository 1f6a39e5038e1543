package org.heartbeat.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The API token file ({@code tokenfile}, by default {@code .hb.tokens} beside the state file): one line per token
 * with its id, user, creation time, SHA-256 hash and label. The token itself is shown once, by
 * {@link #create}, and stored nowhere; only its hash is kept.
 *
 * <pre>{@code
 * # Heartbeat API tokens: hbd token create|list|revoke. Only SHA-256 hashes of the tokens are kept here.
 * 3f9a0c1e	alice	2026-12-07T10:15:00Z	9b74c9897bac770ffc029102a200c5de...	nagios
 * }</pre>
 *
 * <p>{@code hbd token} changes the file; the running {@code hbd} reads it through {@link #find}, which reads the file
 * again whenever its modification time, size or identity changed, so a new or revoked token counts from the next
 * request on, without a restart or reload. Every write goes to a temporary file of mode 0600 that is synced and
 * renamed over the old one, under a lock, so that a reader sees the old file or the new one, never half of one,
 * and two {@code hbd token} commands at once lose nothing. The operator's YAML is never touched.
 *
 * <p>Thread-safe. Errors reading or writing are {@link IOException}s naming the file; nothing here logs, and no
 * message holds a token or a hash.
 */
public final class TokenFile {
    /** The prefix of every token, so that one found in a script or a log is recognisable. */
    public static final String PREFIX = "hbt_";
    private static final String HEADER = "# Heartbeat API tokens: hbd token create|list|revoke. Only SHA-256 hashes of"
            + " the tokens are kept here.\n";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LABEL = 100;
    /** A file lock is held by a process: threads of one process take turns here first. */
    private static final Object WRITERS = new Object();

    private final Path file;
    private Object seen;
    private Map<String, Token> byHash = Map.of();

    /** One token, without its secret. */
    public record Token(String id, String user, Instant created, String label) {
        public Token {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(created, "created");
            label = label == null ? "" : label;
        }
    }

    /** A token just made: {@link #secret} is shown to the operator once. {@link #toString()} leaves it out. */
    public record Created(Token token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + "]";
        }
    }

    public TokenFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    /** Every token, oldest first; none when the file does not exist. */
    public List<Token> list() throws IOException {
        return List.copyOf(read(file).values());
    }

    /**
     * Makes a token for a user and stores its hash.
     *
     * @param label a note for {@code hbd token list}, such as where the token is used; may be empty
     * @throws IllegalArgumentException for a label with control characters or longer than 100 characters
     */
    public Created create(String user, String label, Clock clock) throws IOException {
        Objects.requireNonNull(user, "user");
        String l = label == null ? "" : label.strip();
        if (l.length() > MAX_LABEL || l.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a label is at most " + MAX_LABEL + " characters, none of them a "
                    + "control character");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Token[] made = new Token[1];
        update(tokens -> {
            String id;
            do {
                id = HexFormat.of().formatHex(randomBytes(4));
            } while (containsId(tokens, id));
            made[0] = new Token(id, user, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), l);
            tokens.put(sha256(secret), made[0]);
            return tokens;
        });
        return new Created(made[0], secret);
    }

    /**
     * Removes a token.
     *
     * @return the token removed, empty when no token has that id
     */
    public Optional<Token> revoke(String id) throws IOException {
        Token[] removed = new Token[1];
        update(tokens -> {
            tokens.values().removeIf(t -> {
                if (t.id().equals(id)) {
                    removed[0] = t;
                    return true;
                }
                return false;
            });
            return tokens;
        });
        return Optional.ofNullable(removed[0]);
    }

    /**
     * The token whose secret this is. Reads the file again only when it changed since the last call (a few
     * microseconds otherwise); a missing file holds no tokens.
     */
    public synchronized Optional<Token> find(String secret) throws IOException {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Object now = stamp(file);
        if (!Objects.equals(now, seen)) {
            byHash = read(file);
            seen = now;
        }
        return Optional.ofNullable(byHash.get(sha256(secret)));
    }

    private static boolean containsId(Map<String, Token> tokens, String id) {
        return tokens.values().stream().anyMatch(t -> t.id().equals(id));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** What tells a changed file: its identity (a rename makes a new one), modification time and size. */
    private static Object stamp(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return "missing";
        }
    }

    private void update(Function<Map<String, Token>, Map<String, Token>> change) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path lock = dir.resolve(file.getFileName() + ".lock");
        synchronized (WRITERS) {
            try (FileChannel lockChannel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lockChannel.lock()) {
                write(change.apply(read(file)));
            }
        }
    }

    private void write(Map<String, Token> tokens) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (Map.Entry<String, Token> e : tokens.entrySet()) {
            Token t = e.getValue();
            text.append(t.id()).append('\t').append(t.user()).append('\t').append(t.created()).append('\t')
                    .append(e.getKey()).append('\t').append(t.label()).append('\n');
        }
        PrivateFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The tokens by their hash, in file order. */
    private static Map<String, Token> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        Map<String, Token> tokens = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 5);
            try {
                if (f.length < 4 || !f[3].matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException();
                }
                tokens.put(f[3], new Token(f[0], f[1], Instant.parse(f[2]), f.length > 4 ? f[4] : ""));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not a token line (id, user, created, "
                        + "SHA-256, label; separated by tabs); fix or remove it");
            }
        }
        return tokens;
    }

    /** Lower-case hex of the SHA-256 of a token. */
    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
