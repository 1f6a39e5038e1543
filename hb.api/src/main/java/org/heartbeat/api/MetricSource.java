package org.heartbeat.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A metric plugin: something {@code hbc} asks for values on a schedule and sends to its servers.
 *
 * <h2>Registering</h2>
 * Register an implementation as an OSGi service with the service property {@value #NAME} set to the
 * plugin's name: the key under {@code plugins:} in the client's configuration, for example
 * {@code cpu_monitor}. Take your configuration from the PID {@code CONFIG_PID_PREFIX + name}, with
 * configuration policy REQUIRE: {@code hbc} writes that configuration from the {@code plugins:} section (the
 * plugin's own keys, nested keys joined with dots, lists of scalars as {@code String[]}, plus
 * {@value #INTERVAL} and {@value #TIMEOUT}), so a plugin runs exactly when the configuration lists it, also
 * when its bundle is installed later. In a typed configuration annotation, a key with an underscore is a
 * method with two ({@code report__idle()} for {@code report_idle}), as Declarative Services maps names.
 *
 * <pre>{@code
 * @Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + "uptime_monitor",
 *         configurationPolicy = ConfigurationPolicy.REQUIRE,
 *         property = MetricSource.NAME + "=uptime_monitor")
 * public class UptimeMonitor implements MetricSource {
 *     @Override
 *     public Metrics collect() throws IOException {
 *         String[] f = Files.readString(Path.of("/proc/uptime")).split(" ");
 *         return Metrics.builder().put("uptime_seconds", Double.parseDouble(f[0])).build();
 *     }
 * }
 * }</pre>
 *
 * <h2>How it is called</h2>
 * <ul>
 * <li>{@link #collect()} is called every {@value #INTERVAL} seconds (at once when the plugin arrives), on a
 * thread that no other plugin shares, never concurrently with itself. Each call may come on a new thread,
 * so keep state between calls in fields that are safe to publish: final, volatile, or guarded by
 * {@code synchronized}.</li>
 * <li>It should return within a fraction of its interval. After {@value #TIMEOUT} seconds the thread is
 * interrupted and the run is reported as failed; while a run is still going, the next ones are skipped and
 * reported. A plugin that hangs or spins never delays a heartbeat or another plugin, but respect interrupts
 * (let {@link InterruptedException} out, stop waiting on I/O) so that a timed-out run ends: nothing can stop a
 * thread that ignores them, and it goes on running your bundle's code even after the bundle is removed or
 * updated.</li>
 * <li>Any exception is reported to the servers as a plugin error with its message, and logged; the next run
 * happens as scheduled. Throw rather than return made-up values.</li>
 * <li>Values that cannot be measured are left out (the {@link Metrics.Builder} drops NaN and infinities).</li>
 * </ul>
 */
@ConsumerType
public interface MetricSource {
    /**
     * Service property: the plugin's name, for example {@code cpu_monitor}: 1 to 64 characters of letters,
     * digits, {@code _ . -}.
     */
    String NAME = "heartbeat.plugin.name";

    /**
     * The configuration of plugin {@code NAME} has the PID {@code CONFIG_PID_PREFIX + NAME}; {@code hbc}
     * writes it from the {@code plugins:} section of its configuration file.
     */
    String CONFIG_PID_PREFIX = "org.heartbeat.plugin.";

    /** Configuration and service property: seconds between two collections (default 60, at least 1). */
    String INTERVAL = "interval";

    /**
     * Configuration and service property: seconds a collection may take (default 80 % of the interval, at most 30,
     * so that a collection that times out has ended before the next one is due).
     */
    String TIMEOUT = "timeout";

    /**
     * Collects one sample.
     *
     * @return the values
     * @throws Exception when the values cannot be collected; reported to the servers as a plugin error
     */
    Metrics collect() throws Exception;
}
