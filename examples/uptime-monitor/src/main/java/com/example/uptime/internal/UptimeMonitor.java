package com.example.uptime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code uptime_monitor}: how long this machine has been up, read from Linux's {@code /proc}.
 *
 * <pre>
 * uptime_seconds  4645.61      seconds since boot (first field of /proc/uptime)
 * boot_time       1795654666   when it booted, in seconds since 1970 (btime in /proc/stat)
 * idle_percent    69.04        only with report_idle: share of CPU time spent idle since boot
 * </pre>
 *
 * hbc runs it while its configuration file lists it:
 *
 * <pre>
 * plugins:
 *   uptime_monitor:
 *     interval: 60       # seconds between two samples; hbc itself reads interval and timeout
 *     report_idle: true
 * </pre>
 */
// configurationPolicy REQUIRE: the component exists only while ConfigAdmin holds a configuration with PID
// org.heartbeat.plugin.uptime_monitor, which hbc writes from the plugins: section; no section, no plugin.
// The service property heartbeat.plugin.name is the plugin's name: the key under plugins:, and what the
// server shows. Nothing is exported and everything lives in an .internal package.
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + UptimeMonitor.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + UptimeMonitor.NAME)
@Designate(ocd = UptimeMonitor.Config.class)
public final class UptimeMonitor implements MetricSource {
    static final String NAME = "uptime_monitor";

    // The plugin's own settings, typed. DS maps a method name to a configuration key: "__" becomes "_" and a
    // single "_" becomes ".", so report__idle() reads the YAML key report_idle. (A nested YAML key such as
    // limits: {warn: 3} arrives as "limits.warn" and would be limits_warn().)
    @ObjectClassDefinition(name = "Heartbeat plugin uptime_monitor",
            description = "Seconds since boot, boot time, and optionally the share of CPU time spent idle.")
    @interface Config {
        @AttributeDefinition(description = "Also report idle_percent, the share of CPU time spent idle since boot.")
        boolean report__idle() default false;
    }

    private final Path proc;
    private final boolean reportIdle;

    // Constructor injection: DS passes the configuration once; a changed configuration makes a new instance.
    @Activate
    public UptimeMonitor(Config config) {
        this(Path.of("/proc"), config.report__idle());
    }

    /** Reads {@code uptime} and {@code stat} in {@code proc}; tests give it a directory of their own. */
    UptimeMonitor(Path proc, boolean reportIdle) {
        this.proc = proc;
        this.reportIdle = reportIdle;
    }

    // hbc calls this on a thread of its own, every interval. It returns in microseconds here; whatever it
    // throws reaches the servers as this plugin's error, so throw rather than return made-up values.
    @Override
    public Metrics collect() throws IOException {
        String[] uptime = read("uptime").strip().split("\\s+"); // "4645.61 6414.91": up, idle summed over CPUs
        List<String> stat = read("stat").lines().toList();
        double up = Double.parseDouble(uptime[0]);
        Metrics.Builder m = Metrics.builder()
                .put("uptime_seconds", up)
                .put("boot_time", Long.parseLong(field(stat, "btime")));
        if (reportIdle) {
            long cpus = stat.stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
            // 0 CPUs would make this NaN or infinite: the builder leaves such a value out instead of sending it
            m.put("idle_percent", 100 * Double.parseDouble(uptime[1]) / (up * cpus));
        }
        return m.build();
    }

    private String read(String file) throws IOException {
        try {
            return Files.readString(proc.resolve(file));
        } catch (NoSuchFileException e) {
            throw new IOException(NAME + " reads " + e.getFile() + ", which this system ("
                    + System.getProperty("os.name") + ") does not have", e);
        }
    }

    /** The value of the line "key value" of /proc/stat. */
    private static String field(List<String> stat, String key) throws IOException {
        return stat.stream().filter(l -> l.startsWith(key + " ")).findFirst()
                .map(l -> l.substring(key.length()).strip())
                .orElseThrow(() -> new IOException("no " + key + " line in /proc/stat"));
    }
}
