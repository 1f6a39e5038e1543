package org.heartbeat.plugin.memory.internal;

import java.util.Map;
import java.util.Set;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.support.PluginDefaults;
import org.heartbeat.plugin.support.Settings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metric plugin {@code memory_monitor}: physical memory and swap, read with OSHI. Sizes are integers in bytes,
 * percentages 0..100.
 *
 * <ul>
 * <li>{@code total}: physical memory;</li>
 * <li>{@code available}: what new programs can have without swapping ({@code MemAvailable} on Linux);</li>
 * <li>{@code used}: {@code total - available};</li>
 * <li>{@code percent}: {@code used / total * 100};</li>
 * <li>{@code swap}: {@code total}, {@code used}, {@code free} and, when there is swap, {@code percent}.</li>
 * </ul>
 *
 * <pre>{@code
 * {total=8000000000, available=6000000000, used=2000000000, percent=25.0,
 *  swap={total=1000000000, used=250000000, free=750000000, percent=25.0}}
 * }</pre>
 *
 * No settings besides {@code interval} and {@code timeout}; any other key fails every collection with a message
 * naming it. See {@link MemoryTree} for what is left out when.
 */
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + MemoryMonitor.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + MemoryMonitor.NAME)
@Designate(ocd = MemoryMonitor.Config.class)
public final class MemoryMonitor implements MetricSource {
    static final String NAME = "memory_monitor";

    @ObjectClassDefinition(name = "Heartbeat plugin memory_monitor",
            description = "Physical memory and swap in bytes and percent.")
    @interface Config {
        // no default here: a default would become a service property and override the scheduler's
        @AttributeDefinition(required = false, description = PluginDefaults.INTERVAL_DESCRIPTION)
        double interval();

        @AttributeDefinition(required = false, description = PluginDefaults.TIMEOUT_DESCRIPTION)
        double timeout();
    }

    private final MemorySource source;
    private final String settingsProblem;

    @Activate
    public MemoryMonitor(Map<String, Object> properties) {
        this(new OshiMemorySource(), properties);
    }

    MemoryMonitor(MemorySource source, Map<String, ?> properties) {
        this.source = source;
        this.settingsProblem = Settings.unknownKey(NAME, properties, Set.of());
    }

    @Override
    public Metrics collect() {
        if (settingsProblem != null) {
            throw new IllegalArgumentException(settingsProblem);
        }
        Metrics m = MemoryTree.build(source.read());
        if (m.isEmpty()) {
            throw new IllegalStateException("no memory figures on this system");
        }
        return m;
    }
}
