package org.heartbeat.config;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code users:}.
 *
 * @param name the user's name
 * @param password the password's hash ({@code pbkdf2:sha256:ITERATIONS$salt$hexhash}, made by {@code hbd passwd});
 *        never logged or shown
 * @param admin whether the user sees and does everything
 * @param channels names of {@code notification_channels:} the user's notifications go to
 */
public record UserConfig(String name, String password, boolean admin, List<String> channels) {
    public UserConfig {
        Objects.requireNonNull(name, "name");
        channels = List.copyOf(channels);
    }

    @Override
    public String toString() {
        // the hash stays out of logs
        return "UserConfig[" + name + ", admin=" + admin + ", channels=" + channels + "]";
    }
}
