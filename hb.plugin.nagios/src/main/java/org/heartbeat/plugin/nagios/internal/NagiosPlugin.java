package org.heartbeat.plugin.nagios.internal;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.support.PluginDefaults;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code nagios}: runs Nagios-plugin commands ({@code check_load}, {@code check_disk}, a script of one's own) and
 * reports their states, output and performance data ({@link NagiosTree}).
 *
 * <pre>{@code
 * plugins:
 *   nagios:
 *     interval: 60
 *     checks:
 *       load: "check_load -w 5,4,3 -c 10,8,6"
 *       disk_root: {command: "check_disk -w 20% -c 10% -p /", interval: 300, timeout: 10}
 *     plugin_path: [/opt/custom/libexec]
 * }</pre>
 *
 * The checks come from the flattened {@code checks.*} keys ({@link NagiosConfig}); they run without a shell
 * ({@link CommandLine}, {@link CommandResolver}), each in its own process, side by side and on their own
 * intervals ({@link CheckScheduler}, {@link ProcessCheckRunner}). Configuration changes re-create the component,
 * so every check runs again at once.
 */
@Component(configurationPid = MetricSource.CONFIG_PID_PREFIX + NagiosPlugin.NAME,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = MetricSource.NAME + "=" + NagiosPlugin.NAME)
@Designate(ocd = NagiosPlugin.Config.class)
public final class NagiosPlugin implements MetricSource {
    static final String NAME = "nagios";

    @ObjectClassDefinition(name = "Heartbeat plugin nagios",
            description = "Runs Nagios-plugin commands and reports their states, output and performance data. The"
                    + " checks are the keys checks.NAME (a command) or checks.NAME.command, checks.NAME.interval"
                    + " and checks.NAME.timeout.")
    @interface Config {
        @AttributeDefinition(description = PluginDefaults.INTERVAL_DESCRIPTION
                + " The shortest interval of a check.")
        double interval() default PluginDefaults.INTERVAL;

        @AttributeDefinition(required = false, description = PluginDefaults.TIMEOUT_DESCRIPTION
                + " A check's timeout (default 10 s) is kept below it.")
        double timeout();

        @AttributeDefinition(name = "Plugin path", required = false,
                description = "Directories in which command names are looked up first, before the standard plugin"
                        + " directories and PATH.")
        String[] plugin__path();
    }

    private final ExecutorService pool;
    private final CheckScheduler scheduler;

    @Activate
    public NagiosPlugin(Map<String, Object> properties) {
        NagiosConfig config = NagiosConfig.parse(properties);
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hbc-plugin-nagios-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CheckRunner runner = new ProcessCheckRunner(new CommandResolver(config.pluginPath(), System.getenv("PATH")),
                pool, System::currentTimeMillis, ProcessCheckRunner.OUTPUT_CAP);
        this.scheduler = new CheckScheduler(config, runner, pool, () -> System.nanoTime() / 1_000_000);
    }

    @Override
    public Metrics collect() throws InterruptedException {
        return scheduler.collect();
    }

    @Deactivate
    void deactivate() {
        scheduler.close();
    }
}
