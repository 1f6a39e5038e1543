package org.heartbeat.itest.client.plugin;

import java.io.IOException;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.api.MetricSource;
import org.osgi.framework.FrameworkUtil;

/**
 * The metric plugin the tests package into bundles of its own ({@code PluginBundles}); it is not a component
 * of the test bundle. Its configuration says what it does: {@code behaviour} {@code throw}, {@code hang},
 * {@code spin} (for {@code spin_seconds}, ignoring interrupts) or, by default, report the version of the
 * bundle its class was loaded from, its {@code greeting} setting and a count of collections.
 */
public final class TestPlugin implements MetricSource {
    private String behaviour = "report";
    private String greeting = "";
    private double spinSeconds;
    private long count;

    void activate(Map<String, Object> properties) {
        behaviour = String.valueOf(properties.getOrDefault("behaviour", "report"));
        greeting = String.valueOf(properties.getOrDefault("greeting", ""));
        spinSeconds = Double.parseDouble(String.valueOf(properties.getOrDefault("spin_seconds", "0")));
    }

    @Override
    public Metrics collect() throws Exception {
        switch (behaviour) {
            case "throw":
                throw new IOException("sensor unplugged");
            case "hang":
                Thread.sleep(Long.MAX_VALUE);
                return Metrics.EMPTY;
            case "spin":
                long end = System.nanoTime() + (long) (spinSeconds * 1e9);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return Metrics.builder().put("spun", true).build();
            default:
                return Metrics.builder()
                        .put("version", FrameworkUtil.getBundle(TestPlugin.class).getVersion().toString())
                        .put("greeting", greeting)
                        .put("count", ++count)
                        .build();
        }
    }
}
