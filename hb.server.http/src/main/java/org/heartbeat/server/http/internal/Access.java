package org.heartbeat.server.http.internal;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;

/**
 * Who may act on what through the API: an admin on every host, another user on the hosts they own
 * ({@link UserDirectory#owner}); with no users configured the API is open, and everyone acts as an admin would.
 * The acting user is the request's {@code getRemoteUser()}, which {@link AccessGate} sets once it has authenticated
 * the request (null when no users are configured). Called by resources on HTTP request threads; only reads the
 * user directory.
 */
final class Access {
    /** What actions are recorded as when no users are configured. */
    static final String ANONYMOUS = "anonymous";

    private final UserDirectory users;

    Access(UserDirectory users) {
        this.users = users;
    }

    /** Whether the user (null: unauthenticated, only possible without users) sees and does everything. */
    boolean admin(String remoteUser) {
        if (remoteUser == null) {
            return !users.enabled();
        }
        return users.user(remoteUser).map(User::admin).orElse(false);
    }

    /** Whether the user may change something of this host: an admin, or the host's owner. */
    boolean mayAct(String remoteUser, String host) {
        if (admin(remoteUser)) {
            return true;
        }
        return remoteUser != null && users.owner(host).map(u -> u.name().equals(remoteUser)).orElse(false);
    }

    /** The name an action is recorded under. */
    static String actor(String remoteUser) {
        return remoteUser == null ? ANONYMOUS : remoteUser;
    }
}
