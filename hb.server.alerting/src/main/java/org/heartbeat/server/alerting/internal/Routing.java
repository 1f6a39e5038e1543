package org.heartbeat.server.alerting.internal;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;

/**
 * Who hears about a host: its owner's channels ({@code owner} in {@code hosts:}, else {@code default_owner}); a host
 * with neither goes to every admin's channels.
 */
final class Routing {
    private final UserDirectory users;

    Routing(UserDirectory users) {
        this.users = users;
    }

    /** The channel names for a host's notifications, without repeats; empty when nobody could hear. */
    Set<String> channels(String host) {
        Set<String> channels = new LinkedHashSet<>();
        Optional<User> owner = users.owner(host);
        if (owner.isPresent()) {
            channels.addAll(owner.get().channels());
        } else {
            admins(channels);
        }
        return channels;
    }

    /** The channels of every admin: for notices about hbd itself. */
    Set<String> adminChannels() {
        Set<String> channels = new LinkedHashSet<>();
        admins(channels);
        return channels;
    }

    private void admins(Set<String> into) {
        for (User u : users.users()) {
            if (u.admin()) {
                into.addAll(u.channels());
            }
        }
    }
}
