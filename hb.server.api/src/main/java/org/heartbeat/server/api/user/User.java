package org.heartbeat.server.api.user;

import java.util.List;
import java.util.Objects;

/**
 * A user of {@code users:}. Holds no password or hash.
 *
 * @param name the user's name
 * @param admin whether the user sees and does everything; other users see and act on the hosts they own
 * @param channels the names of {@code notification_channels:} the user's notifications go to
 */
public record User(String name, boolean admin, List<String> channels) {
    public User {
        Objects.requireNonNull(name, "name");
        channels = List.copyOf(channels);
    }
}
