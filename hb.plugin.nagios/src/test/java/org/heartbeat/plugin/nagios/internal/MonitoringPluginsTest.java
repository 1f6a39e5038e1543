package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real checks of the Monitoring Plugins through the plugin, the way {@code hbc} would, and compares what
 * it reports with what the checks themselves printed. CI installs the plugins; without them these tests fail.
 */
class MonitoringPluginsTest {
    private static NagiosPlugin plugin;
    private static Metrics metrics;

    @BeforeAll
    static void runTheChecks() throws Exception {
        CommandResolver resolver = new CommandResolver(List.of(), System.getenv("PATH"));
        for (String check : List.of("check_dummy", "check_load", "check_disk", "check_procs", "check_swap",
                "check_users")) {
            if (resolver.resolve(check).path() == null) {
                fail("%s is not installed: these tests run the real Monitoring Plugins. Install them with"
                        + " apt-get install -y monitoring-plugins-basic monitoring-plugins-standard (Debian, Ubuntu),"
                        + " dnf install nagios-plugins-all (Fedora, EPEL) or brew install monitoring-plugins", check);
            }
        }
        Map<String, Object> p = new HashMap<>();
        p.put("interval", 60.0);
        p.put("timeout", 30.0);
        p.put("checks.dummy_ok", "check_dummy 0 'all is well'");
        p.put("checks.dummy_warning", "check_dummy 1 \"a bit off\"");
        p.put("checks.dummy_critical", "check_dummy 2 down");
        p.put("checks.dummy_unknown", "check_dummy 3 what");
        p.put("checks.dummy_bad", "check_dummy 4 text");
        p.put("checks.load", "check_load -w 1000,1000,1000 -c 2000,2000,2000");
        p.put("checks.load_usage", "check_load");
        p.put("checks.disk_root", "check_disk -w 1% -c 1% -p /");
        p.put("checks.procs", "check_procs");
        p.put("checks.procs_init.command", new String[] {"check_procs", "-w", "5:", "-C", "no-such-program-here"});
        p.put("checks.swap", "check_swap -w 20% -c 10%");
        p.put("checks.users", "check_users -w 1000 -c 2000");
        p.put("checks.missing", "check_this_plugin_does_not_exist -w 1");
        plugin = new NagiosPlugin(p);
        metrics = plugin.collect();
    }

    @AfterAll
    static void stop() {
        if (plugin != null) {
            plugin.deactivate();
        }
    }

    private static Object value(String pointer) {
        return metrics.get(MetricPath.parse(pointer)).orElseThrow(() -> new AssertionError("no value at " + pointer
                + " in " + metrics));
    }

    private static double number(String pointer) {
        return ((Number) value(pointer)).doubleValue();
    }

    private static String text(String pointer) {
        return (String) value(pointer);
    }

    @Test
    void checkDummyGivesEachState() {
        assertThat(value("/checks/dummy_ok/state")).isEqualTo(0L);
        assertThat(text("/checks/dummy_ok/status")).isEqualTo("OK");
        assertThat(text("/checks/dummy_ok/output")).isEqualTo("OK: all is well");
        assertThat(value("/checks/dummy_warning/state")).isEqualTo(1L);
        assertThat(text("/checks/dummy_warning/output")).isEqualTo("WARNING: a bit off");
        assertThat(value("/checks/dummy_critical/state")).isEqualTo(2L);
        assertThat(text("/checks/dummy_critical/output")).isEqualTo("CRITICAL: down");
        assertThat(value("/checks/dummy_unknown/state")).isEqualTo(3L);
        assertThat(text("/checks/dummy_unknown/output")).isEqualTo("UNKNOWN: what");
        assertThat(value("/checks/dummy_bad/state")).isEqualTo(3L);
        assertThat(text("/checks/dummy_bad/output")).contains("Status 4 is not a supported error state");
        for (String name : List.of("dummy_ok", "dummy_warning", "dummy_critical", "dummy_unknown")) {
            assertThat(metrics.get(MetricPath.of("checks", name, "perfdata"))).isEmpty();
            assertThat(metrics.get(MetricPath.of("checks", name, "long_output"))).isEmpty();
            assertThat(number("/checks/" + name + "/duration_ms")).isBetween(0.0, 10_000.0);
        }
    }

    @Test
    void theWorstStateIsCritical() {
        assertThat(value("/worst_state")).isEqualTo(2L);
        assertThat(text("/worst_status")).isEqualTo("CRITICAL");
    }

    @Test
    void checkLoadPerfdataIsTheLoadItPrinted() {
        assertThat(value("/checks/load/state")).isEqualTo(0L);
        String output = text("/checks/load/output");
        Matcher m = Pattern.compile("total load average: ([\\d.]+), ([\\d.]+), ([\\d.]+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        String[] labels = {"load1", "load5", "load15"};
        for (int i = 0; i < 3; i++) {
            String at = "/checks/load/perfdata/" + labels[i];
            assertThat(number(at + "/value")).isCloseTo(Double.parseDouble(m.group(i + 1)), within(0.006));
            assertThat(Double.parseDouble(text(at + "/warn"))).isEqualTo(1000.0); // written 1000.000
            assertThat(text(at + "/crit")).startsWith("2000");
            assertThat(number(at + "/min")).isEqualTo(0.0);
            assertThat(metrics.get(MetricPath.parse(at + "/uom"))).isEmpty();
        }
    }

    @Test
    void checkLoadWithoutArgumentsIsUnknownWithItsUsage() {
        assertThat(value("/checks/load_usage/state")).isEqualTo(3L);
        assertThat(text("/checks/load_usage/output")).isEqualTo("check_load: Could not parse arguments");
        assertThat(text("/checks/load_usage/long_output")).startsWith("Usage:");
    }

    @Test
    void checkDiskReportsTheRootFilesystem() throws IOException {
        assertThat(text("/checks/disk_root/output")).startsWith(stateWord("disk_root")).contains("free space: /");
        String at = "/checks/disk_root/perfdata/~1";
        double total = Files.getFileStore(Path.of("/")).getTotalSpace();
        assertThat(text(at + "/uom")).isEqualTo("B");
        assertThat(number(at + "/max")).isCloseTo(total, within(total / 100));
        assertThat(number(at + "/value")).isBetween(0.0, number(at + "/max"));
        assertThat(number(at + "/min")).isEqualTo(0.0);
        // -w 1%: warn when less than 1% is free, that is above 99% of the size used
        assertThat(Double.parseDouble(text(at + "/warn"))).isCloseTo(number(at + "/max") * 0.99, within(2.0));
        assertThat(value("/checks/disk_root/state")).isEqualTo(
                number(at + "/value") > Double.parseDouble(text(at + "/crit")) ? 2L : 0L);
    }

    @Test
    void checkProcsCountsTheProcessesItPrinted() {
        assertThat(value("/checks/procs/state")).isEqualTo(0L);
        Matcher m = Pattern.compile("(\\d+) processes").matcher(text("/checks/procs/output"));
        assertThat(m.find()).isTrue();
        assertThat(number("/checks/procs/perfdata/procs/value")).isEqualTo(Double.parseDouble(m.group(1)))
                .isGreaterThan(0);
        assertThat(value("/checks/procs_init/state")).isEqualTo(1L);
        assertThat(text("/checks/procs_init/output")).contains("0 processes with command name"
                + " 'no-such-program-here'");
        assertThat(number("/checks/procs_init/perfdata/procs/value")).isEqualTo(0.0);
        assertThat(text("/checks/procs_init/perfdata/procs/warn")).isEqualTo("5:");
    }

    @Test
    void checkSwapStateMatchesItsOutput() throws IOException {
        assertThat(text("/checks/swap/output")).startsWith(stateWord("swap"));
        long swapTotal = meminfoBytes("SwapTotal");
        assertThat(number("/checks/swap/perfdata/swap/max")).isEqualTo(swapTotal);
        assertThat(text("/checks/swap/perfdata/swap/uom")).isEqualTo("B");
    }

    @Test
    void checkUsersCountsLoggedInUsers() {
        assertThat(value("/checks/users/state")).isEqualTo(0L);
        Matcher m = Pattern.compile("(\\d+) users currently logged in").matcher(text("/checks/users/output"));
        assertThat(m.find()).isTrue();
        assertThat(number("/checks/users/perfdata/users/value")).isEqualTo(Double.parseDouble(m.group(1)));
        assertThat(text("/checks/users/perfdata/users/warn")).isEqualTo("1000");
    }

    @Test
    void aMissingPluginIsUnknownAndSaysSo() {
        assertThat(value("/checks/missing/state")).isEqualTo(3L);
        assertThat(text("/checks/missing/output"))
                .startsWith("check command check_this_plugin_does_not_exist not found in /usr/lib/nagios/plugins");
    }

    @Test
    void eachCheckRanOnce() {
        long checked = (Long) value("/checks/load/checked");
        for (String name : List.of("dummy_ok", "disk_root", "procs", "swap", "users", "missing")) {
            assertThat((Long) value("/checks/" + name + "/checked")).isCloseTo(checked,
                    org.assertj.core.data.Offset.offset(10_000L));
        }
    }

    /** SWAP OK, DISK CRITICAL...: the word for the state the plugin reported, as the check prints it. */
    private static String stateWord(String check) {
        String status = text("/checks/" + check + "/status");
        String output = text("/checks/" + check + "/output");
        return output.substring(0, output.indexOf(' ')) + " " + status;
    }

    private static long meminfoBytes(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new AssertionError(key + " not in /proc/meminfo");
    }
}
