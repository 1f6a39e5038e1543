package org.heartbeat.plugin.disk.internal;

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
 * Metric plugin {@code disk_monitor}: space and inodes of every real filesystem, keyed by mount point, read with
 * OSHI. Sizes are integers in bytes, inode figures integers, percentages 0..100.
 *
 * <pre>{@code
 * {partitions={/={device=/dev/sda1, fstype=ext4, total=1000, used=400, free=550, percent=42.1,
 *              inodes_total=100, inodes_used=10, inodes_free=90, inodes_percent=10.0, readonly=false}}}
 * }</pre>
 *
 * Per mount point: {@code device}, {@code fstype}, {@code total}, {@code used} (total less what is free for root),
 * {@code free} (what other users may still write), {@code percent} ({@code used / (used + free)}, as {@code df}),
 * {@code inodes_total}, {@code inodes_used}, {@code inodes_free}, {@code inodes_percent} (where the filesystem
 * counts inodes) and {@code readonly}.
 *
 * <p>Pseudo filesystems ({@code tmpfs}, {@code proc}, {@code overlay}...), filesystems of 0 bytes and second
 * mounts of one device (bind mounts) are skipped. Settings, each a list of strings that match exactly or, ending
 * in {@code *}, as a prefix ({@code /srv/*} is everything below {@code /srv}): {@code include_fstypes} (only these
 * types, pseudo ones included), {@code exclude_fstypes}, {@code include_mounts} (only these mount points) and
 * {@code exclude_mounts}. An invalid or unknown setting fails every collection with a message naming it. See
 * {@link DiskTree} and {@link DiskFilter} for the details, {@link OshiDiskSource} for what OSHI never reports.
 */
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + DiskMonitor.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + DiskMonitor.NAME)
@Designate(ocd = DiskMonitor.Config.class)
public final class DiskMonitor implements MetricSource {
    static final String NAME = "disk_monitor";

    // Declarative Services reads property include_fstypes for method include__fstypes (a single _ would be a dot).
    @ObjectClassDefinition(name = "Heartbeat plugin disk_monitor",
            description = "Space and inodes of every real filesystem, keyed by mount point.")
    @interface Config {
        // no default here: a default would become a service property and override the scheduler's
        @AttributeDefinition(required = false, description = PluginDefaults.INTERVAL_DESCRIPTION)
        double interval();

        @AttributeDefinition(required = false, description = PluginDefaults.TIMEOUT_DESCRIPTION)
        double timeout();

        @AttributeDefinition(required = false, description = "Report only filesystems of these types "
                + "(a trailing * matches any rest); the way to report pseudo filesystems such as tmpfs.")
        String[] include__fstypes();

        @AttributeDefinition(required = false,
                description = "Never report filesystems of these types (a trailing * matches any rest).")
        String[] exclude__fstypes();

        @AttributeDefinition(required = false,
                description = "Report only these mount points; /srv/* matches everything below /srv.")
        String[] include__mounts();

        @AttributeDefinition(required = false,
                description = "Never report these mount points; /srv/* matches everything below /srv.")
        String[] exclude__mounts();
    }

    static final Set<String> SETTINGS = Set.of("include_fstypes", "exclude_fstypes", "include_mounts",
            "exclude_mounts");

    private final DiskSource source;
    private final DiskFilter filter;
    private final String settingsProblem;

    @Activate
    public DiskMonitor(Config config, Map<String, Object> properties) {
        this(new OshiDiskSource(), config, properties);
    }

    DiskMonitor(DiskSource source, Config config, Map<String, ?> properties) {
        this.source = source;
        DiskFilter f = null;
        String problem = Settings.unknownKey(NAME, properties, SETTINGS);
        try {
            f = new DiskFilter(config.include__fstypes(), config.exclude__fstypes(), config.include__mounts(),
                    config.exclude__mounts());
        } catch (IllegalArgumentException e) {
            problem = problem != null ? problem : e.getMessage();
        }
        this.filter = f;
        this.settingsProblem = problem;
    }

    @Override
    public Metrics collect() {
        if (settingsProblem != null) {
            throw new IllegalArgumentException(settingsProblem);
        }
        return DiskTree.build(source.mounts(), filter);
    }
}
