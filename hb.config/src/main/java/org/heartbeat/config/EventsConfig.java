package org.heartbeat.config;

import java.nio.file.Path;

/**
 * The {@code events:} section of the server's configuration: where the journal of host events is kept (the history
 * of every host's life that {@code GET /api/events} reads) and how much of it.
 *
 * @param dir the journal's directory
 * @param retention seconds events are kept
 * @param maxSizeMb the most megabytes the journal may take on disk; past it the oldest events go first
 */
public record EventsConfig(Path dir, double retention, int maxSizeMb) {
    public static final String DEFAULT_DIR = "~/.hb-events";
    public static final double DEFAULT_RETENTION = 90 * 86_400;
    public static final int DEFAULT_MAX_SIZE_MB = 256;

    static EventsConfig from(Section e) {
        Path dir = e.path("dir", DEFAULT_DIR);
        double retention = e.seconds("retention", DEFAULT_RETENTION, 3600, 3650 * 86_400.0);
        int maxSize = e.integer("max_size_mb", DEFAULT_MAX_SIZE_MB, 1, 1_000_000);
        e.finish();
        return new EventsConfig(dir, retention, maxSize);
    }
}
