package org.heartbeat.plugin.support;

/**
 * How often a plugin collects and how long a collection may take when its configuration does not say: the one
 * source of these figures for the client's scheduler, the plugins and their metatype descriptions.
 *
 * <p>The timeout defaults to {@value #TIMEOUT_SHARE} of the interval, at most {@value #MAX_DEFAULT_TIMEOUT} s, so
 * that a collection that hangs is interrupted before the next one falls due and costs only itself:
 *
 * <pre>{@code
 * PluginDefaults.timeout(60)  // 30.0: 48 s, capped
 * PluginDefaults.timeout(10)  // 8.0
 * PluginDefaults.timeout(1)   // 0.8
 * }</pre>
 */
public final class PluginDefaults {
    /** Seconds between two collections when the configuration gives no {@code interval}. */
    public static final double INTERVAL = 60;
    /** The share of the interval a collection may take when the configuration gives no {@code timeout}. */
    public static final double TIMEOUT_SHARE = 0.8;
    /** The longest default timeout, in seconds; a plugin that needs longer sets {@code timeout}. */
    public static final double MAX_DEFAULT_TIMEOUT = 30;

    /** Metatype description of a plugin's {@code interval} setting. */
    public static final String INTERVAL_DESCRIPTION = "Seconds between two collections; by default 60.";
    /** Metatype description of a plugin's {@code timeout} setting. */
    public static final String TIMEOUT_DESCRIPTION =
            "Seconds a collection may take; by default 80 % of the interval, at most 30.";

    private PluginDefaults() {
    }

    /**
     * The default timeout for an interval.
     *
     * @param intervalSeconds the plugin's interval; 0 or less (not configured) means {@link #INTERVAL}
     * @return seconds, below the interval
     */
    public static double timeout(double intervalSeconds) {
        double interval = intervalSeconds > 0 ? intervalSeconds : INTERVAL;
        return Math.min(interval * TIMEOUT_SHARE, MAX_DEFAULT_TIMEOUT);
    }

    /**
     * The timeout that applies: {@code timeoutSeconds} when configured, else {@link #timeout(double)} of the
     * interval.
     *
     * @param timeoutSeconds the configured timeout; 0 or less when not configured
     * @param intervalSeconds the configured interval; 0 or less when not configured
     */
    public static double effectiveTimeout(double timeoutSeconds, double intervalSeconds) {
        return timeoutSeconds > 0 ? timeoutSeconds : timeout(intervalSeconds);
    }
}
