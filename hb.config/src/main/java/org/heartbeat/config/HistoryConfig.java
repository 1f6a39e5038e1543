package org.heartbeat.config;

import java.nio.file.Path;

/**
 * The {@code history:} section of the server's configuration: where plugin values are kept, for how long, and
 * how much of them at most. Every sample is kept as it arrived for {@code raw} seconds; older values are reduced
 * to one point per {@code resolution} seconds (average, minimum, maximum, count), kept until they are
 * {@code retention} seconds old. The caps bound what hosts can make the server keep, whatever they send: plugins
 * per host, metric series per plugin of a host, and the size of the store on disk.
 *
 * @param file the history store
 * @param raw seconds every sample is kept as it arrived
 * @param retention seconds any history is kept
 * @param resolution seconds per point of the reduced history
 * @param maxPluginsPerHost the most plugins kept per host, in the latest values and the history
 * @param maxMetricsPerPlugin the most metric series kept per plugin of a host
 * @param maxSizeMb the store's size on disk in MB (2<sup>20</sup> bytes) past which no new series are created;
 *        past 110% of it no new points are recorded either
 */
public record HistoryConfig(Path file, double raw, double retention, double resolution, int maxPluginsPerHost,
        int maxMetricsPerPlugin, int maxSizeMb) {
    public static final String DEFAULT_FILE = "~/.hb-history.db";
    public static final double DEFAULT_RAW = 2 * 86_400;
    public static final double DEFAULT_RETENTION = 7 * 86_400;
    public static final double DEFAULT_RESOLUTION = 300;
    public static final int DEFAULT_MAX_PLUGINS_PER_HOST = 64;
    public static final int DEFAULT_MAX_METRICS_PER_PLUGIN = 1000;
    public static final int DEFAULT_MAX_SIZE_MB = 2048;

    static HistoryConfig from(Section h) {
        Path file = h.path("file", DEFAULT_FILE);
        double retention = h.seconds("retention", DEFAULT_RETENTION, 3600, 3650 * 86_400.0);
        double raw = h.seconds("raw", Math.min(DEFAULT_RAW, retention), 60, 3650 * 86_400.0);
        double resolution = h.seconds("resolution", DEFAULT_RESOLUTION, 10, 86_400);
        int maxPlugins = h.integer("max_plugins_per_host", DEFAULT_MAX_PLUGINS_PER_HOST, 1, 10_000);
        int maxMetrics = h.integer("max_metrics_per_plugin", DEFAULT_MAX_METRICS_PER_PLUGIN, 1, 1_000_000);
        int maxSizeMb = h.integer("max_size_mb", DEFAULT_MAX_SIZE_MB, 1, 1_048_576);
        if (raw > retention) {
            h.error("raw", "must not be longer than retention (" + Section.plain(retention) + " s)");
        }
        h.finish();
        return new HistoryConfig(file, raw, retention, resolution, maxPlugins, maxMetrics, maxSizeMb);
    }
}
