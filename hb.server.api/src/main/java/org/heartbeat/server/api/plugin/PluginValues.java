package org.heartbeat.server.api.plugin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.api.MetricPath;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every host's plugin values: the latest of each plugin, and the history of each numeric value. A service of the
 * history bundle ({@code hb.server.history}); when that bundle is stopped, the service is gone, and whatever uses
 * it should say so rather than fail (the HTTP API answers 503).
 *
 * <p>The latest values are held in memory and read at once; history is read from the store's file, so call
 * {@link #history} from a thread that may wait. Every method is safe from any thread. Results are immutable
 * copies. A host that the server forgets takes its values and history with it.
 *
 * <pre>{@code
 * values.plugins("web1").get("cpu_monitor").values()
 *         .flatMap(m -> m.number(MetricPath.parse("/cpu_percent")));
 * values.history("web1", "disk_monitor", MetricPath.parse("/partitions/~1/percent"),
 *         Instant.now().minus(Duration.ofDays(1)), Instant.now(), 10_000);
 * }</pre>
 */
@ProviderType
public interface PluginValues {
    /** The latest state of every plugin of a host, by plugin name in code point order; empty when none reported. */
    Map<String, PluginState> plugins(String host);

    /** The latest state of every plugin of every host, hosts and plugins in code point order. */
    Map<String, Map<String, PluginState>> all();

    /** The metric paths of one plugin of a host that have history, in code point order. */
    List<MetricPath> metrics(String host, String plugin);

    /**
     * The history of one numeric (or boolean, as 1 and 0) value from {@code since} (inclusive) to {@code until}
     * (exclusive), oldest first.
     *
     * @param limit the most points to return; a caller that gets exactly {@code limit} may ask again from after
     *        the last one
     * @return empty when nothing was ever recorded for that value
     */
    Optional<List<HistoryPoint>> history(String host, String plugin, MetricPath metric, Instant since, Instant until,
            int limit);
}
