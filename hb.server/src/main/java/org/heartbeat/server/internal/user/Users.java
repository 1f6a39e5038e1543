package org.heartbeat.server.internal.user;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import org.heartbeat.config.HostConfig;
import org.heartbeat.config.PasswordHash;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.TokenFile;
import org.heartbeat.config.UserConfig;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.heartbeat.server.internal.config.ConfigTranslator;
import org.heartbeat.server.internal.util.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The {@link UserDirectory} of {@code hbd}: {@code users:}, {@code default_owner} and the hosts' {@code owner} from
 * the configuration in force ({@link ConfigTranslator#current()}, read on every call, so {@code hbd reload} applies at
 * once), and API tokens from the token file ({@link TokenFile}, which reads the file again when it changes).
 *
 * <p>A password once verified is remembered for {@value #REMEMBER_SECONDS} s, keyed by a SHA-256 of the name, the
 * password and the stored hash (never the password itself), so that a script calling the API with HTTP Basic pays the
 * hash's 600,000 iterations once a minute rather than on every call, and a changed hash counts at once. Callers limit
 * attempts before calling {@link #authenticate} (the HTTP API does). Thread-safe; nothing here logs a secret.
 */
@Component(service = UserDirectory.class)
public final class Users implements UserDirectory {
    static final long REMEMBER_SECONDS = 60;
    private static final int MAX_REMEMBERED = 1000;

    private final Supplier<ServerConfig> config;
    private final Clock clock;
    private final BiPredicate<String, String> verifier;
    private final RateLimitedLog log;
    private final Map<String, Instant> verified = new ConcurrentHashMap<>();
    private volatile TokenFile tokens;

    @Activate
    public Users(@Reference ConfigTranslator translator, @Reference(service = LoggerFactory.class) Logger log) {
        this(translator::current, Clock.systemUTC(), (hash, password) -> PasswordHash.parse(hash).verify(password),
                log);
    }

    /** For tests: the verifier checks a password against a hash's text. */
    Users(Supplier<ServerConfig> config, Clock clock, BiPredicate<String, String> verifier, Logger log) {
        this.config = config;
        this.clock = clock;
        this.verifier = verifier;
        this.log = new RateLimitedLog(60_000, log::warn);
    }

    @Override
    public boolean enabled() {
        return !config.get().users().isEmpty();
    }

    @Override
    public List<User> users() {
        return config.get().users().values().stream().map(Users::user).toList();
    }

    @Override
    public Optional<User> user(String name) {
        return Optional.ofNullable(config.get().users().get(name)).map(Users::user);
    }

    @Override
    public Optional<User> owner(String host) {
        ServerConfig c = config.get();
        HostConfig h = c.hosts().get(host);
        String owner = h != null && h.owner() != null ? h.owner() : c.defaultOwner();
        return owner == null ? Optional.empty() : Optional.ofNullable(c.users().get(owner)).map(Users::user);
    }

    @Override
    public Optional<User> authenticate(String name, String password) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        UserConfig u = config.get().users().get(name);
        if (u == null || u.password() == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = sha256(name + '\0' + password + '\0' + u.password());
        Instant until = verified.get(key);
        if (until != null && now.isBefore(until)) {
            return Optional.of(user(u));
        }
        if (!verifier.test(u.password(), password)) {
            return Optional.empty();
        }
        remember(key, now);
        return Optional.of(user(u));
    }

    @Override
    public Optional<User> authenticateToken(String token) {
        ServerConfig c = config.get();
        try {
            return tokenFile(c.tokenfile()).find(token)
                    .flatMap(t -> Optional.ofNullable(c.users().get(t.user())))
                    .map(Users::user);
        } catch (IOException e) {
            log.log("tokens", clock.millis(), "API tokens refused: cannot read the token file: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private TokenFile tokenFile(Path path) {
        TokenFile t = tokens;
        if (t == null || !t.file().equals(path)) {
            t = new TokenFile(path);
            tokens = t;
        }
        return t;
    }

    private void remember(String key, Instant now) {
        if (verified.size() >= MAX_REMEMBERED) {
            verified.values().removeIf(until -> !now.isBefore(until));
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(key, now.plus(Duration.ofSeconds(REMEMBER_SECONDS)));
    }

    private static User user(UserConfig u) {
        return new User(u.name(), u.admin(), u.channels());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
