package org.heartbeat.itest.client.plugin;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;

/**
 * A metric plugin whose component cannot be created: its constructor throws, as a plugin's does when it checks its
 * configuration or its system there. The tests package it into a bundle of its own ({@code PluginBundles}).
 */
public final class BrokenPlugin implements MetricSource {
    public static final String CAUSE = "no sensor attached to this host";

    public BrokenPlugin() {
        throw new IllegalStateException(CAUSE);
    }

    @Override
    public Metrics collect() {
        return Metrics.EMPTY;
    }
}
