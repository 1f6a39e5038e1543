package org.heartbeat.server.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the plugin samples and failures clients report, as they arrive: the history store, threshold
 * alerting, the dashboard. Register an implementation as a service; the optional service property
 * {@link org.heartbeat.server.api.event.HostEventListener#NAME} names it in the log and the status.
 *
 * <pre>{@code
 * @Component
 * public class HotCpu implements PluginListener {
 *     @Override
 *     public void sample(PluginSample s) {
 *         if (s.plugin().equals("cpu_monitor")) {
 *             s.values().number(MetricPath.parse("/cpu_percent"))
 *                     .filter(v -> v > 90).ifPresent(v -> ...);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>How it is called</h2>
 * <ul>
 * <li>Each listener has a delivery thread of its own: {@link #sample(PluginSample)} and
 * {@link #failure(PluginFailure)} are called on it, one at a time, in the order the server received them, never
 * concurrently. A slow or blocked listener never holds up the UDP receiver or the other listeners.</li>
 * <li>A listener that falls behind gets the newest report of each series (host and plugin) rather than every one:
 * while a sample or failure waits for it, a newer report of the same series replaces it, keeping its place. So
 * memory stays bounded by the number of series, and a listener that catches up sees each plugin's current state.
 * Replaced reports are counted ({@code coalesced} in {@code /api/status}).</li>
 * <li>An exception is logged at a limited rate and counted; the next sample follows.</li>
 * <li>Delivery starts with what arrives after the listener is bound; it is not replayed after a restart (the
 * history store keeps what is needed of the past, see {@link PluginValues}).</li>
 * </ul>
 */
@ConsumerType
public interface PluginListener {
    /**
     * Handles one sample.
     *
     * @throws Exception when it fails: logged and counted
     */
    void sample(PluginSample sample) throws Exception;

    /**
     * Handles one failure report; by default nothing.
     *
     * @throws Exception when it fails: logged and counted
     */
    default void failure(PluginFailure failure) throws Exception {
    }
}
