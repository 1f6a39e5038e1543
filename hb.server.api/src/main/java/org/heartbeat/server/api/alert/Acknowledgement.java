package org.heartbeat.server.api.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Who acknowledged an alert, when, and why.
 *
 * @param user the user's name; {@code "cli"} for the command line run on the server without a user
 * @param time when
 * @param comment free text; empty for none
 */
public record Acknowledgement(String user, Instant time, String comment) {
    public Acknowledgement {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(time, "time");
        comment = comment == null ? "" : comment;
    }
}
