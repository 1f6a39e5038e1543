package org.heartbeat.config;

import java.nio.file.Path;

/**
 * The {@code history:} section of the server's configuration: where plugin values are kept and for how long.
 * Every sample is kept as it arrived for {@code raw} seconds; older values are reduced to one point per
 * {@code resolution} seconds (average, minimum, maximum, count), kept until they are {@code retention} seconds
 * old.
 *
 * @param file the history store
 * @param raw seconds every sample is kept as it arrived
 * @param retention seconds any history is kept
 * @param resolution seconds per point of the reduced history
 */
public record HistoryConfig(Path file, double raw, double retention, double resolution) {
    public static final String DEFAULT_FILE = "~/.hb-history.db";
    public static final double DEFAULT_RAW = 2 * 86_400;
    public static final double DEFAULT_RETENTION = 7 * 86_400;
    public static final double DEFAULT_RESOLUTION = 300;

    static HistoryConfig from(Section h) {
        Path file = h.path("file", DEFAULT_FILE);
        double retention = h.seconds("retention", DEFAULT_RETENTION, 3600, 3650 * 86_400.0);
        double raw = h.seconds("raw", Math.min(DEFAULT_RAW, retention), 60, 3650 * 86_400.0);
        double resolution = h.seconds("resolution", DEFAULT_RESOLUTION, 10, 86_400);
        if (raw > retention) {
            h.error("raw", "must not be longer than retention (" + Section.plain(retention) + " s)");
        }
        h.finish();
        return new HistoryConfig(file, raw, retention, resolution);
    }
}
