package org.heartbeat.plugin.cpu.internal;

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
 * Metric plugin {@code cpu_monitor}: how busy the processor is, read with OSHI.
 *
 * <ul>
 * <li>{@code cpu_percent}: percent of time all CPUs together were busy (not idle or waiting for I/O) since the
 * previous collection, 0..100;</li>
 * <li>{@code per_cpu_percent}: the same for each logical CPU, a list in CPU order;</li>
 * <li>{@code load_1}, {@code load_5}, {@code load_15}: load averages over 1, 5 and 15 minutes (left out where
 * the system has none, as on Windows);</li>
 * <li>{@code cores}: the number of logical CPUs, an integer.</li>
 * </ul>
 *
 * <pre>{@code
 * {cpu_percent=12.5, per_cpu_percent=[10.0, 15.0], load_1=0.52, load_5=0.4, load_15=0.31, cores=2}
 * }</pre>
 *
 * The counters are first read at activation, and the first collection waits until at least
 * {@link SampleWindow#FIRST_WINDOW} has passed since then (at most half its timeout), so that the first sample
 * already has percentages. No settings besides {@code interval} and {@code timeout}; any other key fails every collection
 * with a message naming it. See {@link CpuTree} for what is left out when.
 */
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + CpuMonitor.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + CpuMonitor.NAME)
@Designate(ocd = CpuMonitor.Config.class)
public final class CpuMonitor implements MetricSource {
    static final String NAME = "cpu_monitor";

    @ObjectClassDefinition(name = "Heartbeat plugin cpu_monitor",
            description = "Busy percentages of all CPUs and of each, load averages and logical CPUs.")
    @interface Config {
        // no default here: a default would become a service property and override the scheduler's
        @AttributeDefinition(required = false, description = PluginDefaults.INTERVAL_DESCRIPTION)
        double interval();

        @AttributeDefinition(required = false, description = PluginDefaults.TIMEOUT_DESCRIPTION)
        double timeout();
    }

    private final CpuSource source;
    private final String settingsProblem;
    private final SampleWindow<CpuSample> window;

    @Activate
    public CpuMonitor(Config config, Map<String, Object> properties) {
        this(new OshiCpuSource(Clock.SYSTEM), Clock.SYSTEM, config, properties);
    }

    CpuMonitor(CpuSource source, Clock clock, Config config, Map<String, ?> properties) {
        this.source = source;
        this.settingsProblem = Settings.unknownKey(NAME, properties, Set.of());
        this.window = new SampleWindow<>(source::sample, CpuSample::nanos, clock, config.timeout(), config.interval());
    }

    @Override
    public Metrics collect() throws InterruptedException {
        if (settingsProblem != null) {
            throw new IllegalArgumentException(settingsProblem);
        }
        SampleWindow.Pair<CpuSample> p = window.next();
        Metrics m = CpuTree.build(p.before(), p.now(), source.loadAverages(), source.logicalProcessors());
        if (m.isEmpty()) {
            throw new IllegalStateException("no cpu figures on this system");
        }
        return m;
    }
}
