package org.heartbeat.server.api.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A silence, or maintenance window: while it lasts, alerts of its host (or of every host) are kept and shown but
 * not notified. When it ends, alerts still active are notified once.
 *
 * @param id its id, for lifting it early
 * @param host the host it covers; empty for every host
 * @param from when it began
 * @param until when it ends
 * @param user who set it
 * @param reason free text; empty for none
 */
public record Silence(String id, Optional<String> host, Instant from, Instant until, String user, String reason) {
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(user, "user");
        reason = reason == null ? "" : reason;
    }

    /** Whether it covers this host at this moment. */
    public boolean covers(String hostName, Instant now) {
        return (host.isEmpty() || host.get().equals(hostName)) && !now.isBefore(from) && now.isBefore(until);
    }
}
