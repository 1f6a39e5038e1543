package org.heartbeat.plugin.network.internal;

import java.util.Map;
import java.util.Set;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.support.Clock;
import org.heartbeat.plugin.support.PluginDefaults;
import org.heartbeat.plugin.support.SampleWindow;
import org.heartbeat.plugin.support.Settings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metric plugin {@code network_monitor}: traffic of each network interface, read with OSHI, keyed by interface
 * name. Rates are per second since the previous collection, as numbers with a fraction:
 *
 * <pre>{@code
 * {interfaces={eth0={bytes_in_per_s=1250.0, bytes_out_per_s=980.5, packets_in_per_s=12.0, packets_out_per_s=9.5,
 *                    errors_in_per_s=0.0, errors_out_per_s=0.0, drops_in_per_s=0.0, drops_out_per_s=0.0,
 *                    up=true, speed_mbps=1000, mtu=1500}}}
 * }</pre>
 *
 * Per interface: {@code bytes_in_per_s}, {@code bytes_out_per_s}, {@code packets_in_per_s},
 * {@code packets_out_per_s}, {@code errors_in_per_s}, {@code errors_out_per_s}, {@code drops_in_per_s} and
 * {@code drops_out_per_s} (where the system counts them), {@code up}, {@code speed_mbps} (the link speed in
 * Mbit/s, an integer, where known) and {@code mtu} (bytes, an integer).
 *
 * <p>The counters are first read at activation, and the first collection waits until at least
 * {@link SampleWindow#FIRST_WINDOW} has passed since then (at most half its timeout), so that the first sample already has
 * rates. The loopback is skipped by default. Settings, each a list of names that match exactly or, ending in
 * {@code *}, as a prefix ({@code veth*}): {@code include_interfaces} (only these, the loopback included when
 * named) and {@code exclude_interfaces}. An invalid or unknown setting fails every collection with a message
 * naming it. See {@link NetworkTree} for what is left out when, {@link OshiNetworkSource} for what OSHI lists.
 */
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + NetworkMonitor.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + NetworkMonitor.NAME)
@Designate(ocd = NetworkMonitor.Config.class)
public final class NetworkMonitor implements MetricSource {
    static final String NAME = "network_monitor";

    static final Set<String> SETTINGS = Set.of("include_interfaces", "exclude_interfaces");

    // Declarative Services reads property include_interfaces for method include__interfaces (_ would be a dot).
    @ObjectClassDefinition(name = "Heartbeat plugin network_monitor",
            description = "Traffic, packet, error and drop rates, state, speed and MTU of each network interface.")
    @interface Config {
        // no default here: a default would become a service property and override the scheduler's
        @AttributeDefinition(required = false, description = PluginDefaults.INTERVAL_DESCRIPTION)
        double interval();

        @AttributeDefinition(required = false, description = PluginDefaults.TIMEOUT_DESCRIPTION)
        double timeout();

        @AttributeDefinition(required = false, description = "Report only these interfaces (a trailing * matches "
                + "any rest, as in eth*); the loopback is reported only when named here.")
        String[] include__interfaces();

        @AttributeDefinition(required = false,
                description = "Never report these interfaces (a trailing * matches any rest, as in veth*).")
        String[] exclude__interfaces();
    }

    private final InterfaceFilter filter;
    private final String settingsProblem;
    private final SampleWindow<NetworkSample> window;

    @Activate
    public NetworkMonitor(Config config, Map<String, Object> properties) {
        this(new OshiNetworkSource(Clock.SYSTEM), Clock.SYSTEM, config, properties);
    }

    NetworkMonitor(NetworkSource source, Clock clock, Config config, Map<String, ?> properties) {
        InterfaceFilter f = null;
        String problem = Settings.unknownKey(NAME, properties, SETTINGS);
        try {
            f = new InterfaceFilter(config.include__interfaces(), config.exclude__interfaces());
        } catch (IllegalArgumentException e) {
            problem = problem != null ? problem : e.getMessage();
        }
        this.filter = f;
        this.settingsProblem = problem;
        this.window = new SampleWindow<>(source::sample, NetworkSample::nanos, clock, config.timeout(),
                config.interval());
    }

    @Override
    public Metrics collect() throws InterruptedException {
        if (settingsProblem != null) {
            throw new IllegalArgumentException(settingsProblem);
        }
        SampleWindow.Pair<NetworkSample> p = window.next();
        return NetworkTree.build(p.before(), p.now(), filter);
    }
}
