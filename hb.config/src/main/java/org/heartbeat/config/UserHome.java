package org.heartbeat.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The user's home directory as the operator means it: {@code $HOME} when it is set, as in a shell, else Java's
 * {@code user.home} (which the JVM takes from the password database, not from {@code $HOME}). The one place where
 * {@code ~} in a configuration path, {@code ~/.hb.yaml} and {@code ~/.hbc.yaml} are resolved.
 *
 * <pre>{@code
 * UserHome.dir()                     // $HOME, else user.home
 * UserHome.expand("~/.hb.pick")      // /home/alice/.hb.pick
 * UserHome.of(Map.of("HOME", "/tmp/h"), System.getProperties()).dir()   // /tmp/h
 * }</pre>
 */
public final class UserHome {
    private static final UserHome SYSTEM = new UserHome(System.getenv(), System.getProperties());

    private final Map<String, String> environment;
    private final Properties properties;

    private UserHome(Map<String, String> environment, Properties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    /** The home directory of an environment and system properties other than this process's, for tests. */
    public static UserHome of(Map<String, String> environment, Properties properties) {
        return new UserHome(Map.copyOf(environment), properties);
    }

    /** This process's home directory. */
    public static Path dir() {
        return SYSTEM.home();
    }

    /** A path of this process's, with a leading {@code ~} or {@code ~/} standing for {@link #dir()}. */
    public static Path expand(String path) {
        return SYSTEM.expanded(path);
    }

    /** {@code $HOME} when set and not empty, else {@code user.home}. */
    public Path home() {
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : properties.getProperty("user.home"));
    }

    /** {@code path} with a leading {@code ~} or {@code ~/} standing for {@link #home()}. */
    public Path expanded(String path) {
        if (path.equals("~")) {
            return home();
        }
        if (path.startsWith("~/")) {
            return home().resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
