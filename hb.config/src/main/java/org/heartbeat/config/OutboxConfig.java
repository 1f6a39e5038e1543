package org.heartbeat.config;

import java.nio.file.Path;

/**
 * The {@code outbox:} section: where notifications wait for their channels, and for how long they are retried.
 *
 * @param file the outbox's store
 * @param giveUpAfter seconds after which a notification that keeps failing is recorded as failed for good
 * @param keep seconds delivered and failed entries are kept for the API
 */
public record OutboxConfig(Path file, double giveUpAfter, double keep) {
    public static final String DEFAULT_FILE = "~/.hb-outbox.db";

    static OutboxConfig from(Section o) {
        Path file = o.path("file", DEFAULT_FILE);
        double giveUpAfter = o.seconds("give_up_after", 86_400, 60, 30 * 86_400.0);
        double keep = o.seconds("keep", 7 * 86_400, 3600, 365 * 86_400.0);
        o.finish();
        return new OutboxConfig(file, giveUpAfter, keep);
    }
}
