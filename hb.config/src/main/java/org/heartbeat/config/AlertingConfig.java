package org.heartbeat.config;

import java.nio.file.Path;

/**
 * How alerts are raised and notified: {@code notify_after} and {@code base_url} at the top level, the rest in the
 * {@code alerting:} section (docs/NOTIFICATIONS.md names each key).
 *
 * @param notifyAfter missed deadlines in a row before an overdue host is notified (per-host override in
 *        {@code hosts:})
 * @param baseUrl the dashboard's address as people reach it, for links in messages; empty for none
 * @param file where alert state, acknowledgements and silences are kept
 * @param remindEvery seconds between reminders of an unacknowledged alert; 0 for none
 * @param flappingChanges state changes within {@code flappingWindow} that make an alert flapping
 * @param flappingWindow seconds
 * @param stormHosts hosts going overdue within {@code stormWindow} that make a storm (summarised in one message)
 * @param stormWindow seconds
 */
public record AlertingConfig(int notifyAfter, String baseUrl, Path file, double remindEvery, int flappingChanges,
        double flappingWindow, int stormHosts, double stormWindow) {
    public static final int DEFAULT_NOTIFY_AFTER = 2;
    public static final String DEFAULT_FILE = "~/.hb-alerts.db";

    static AlertingConfig from(Section root, Section a) {
        int notifyAfter = root.integer("notify_after", DEFAULT_NOTIFY_AFTER, 1, 100);
        String baseUrl = root.string("base_url", "");
        if (!baseUrl.isEmpty() && !baseUrl.matches("https?://\\S+")) {
            root.error("base_url", "expected an http:// or https:// address, such as https://hb.example.com");
        }
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        Path file = a.path("file", DEFAULT_FILE);
        double remindEvery = a.seconds("remind_every", 0, 0, 30 * 86_400.0);
        int flappingChanges = a.integer("flapping_changes", 5, 2, 1000);
        double flappingWindow = a.seconds("flapping_window", 600, 1, 86_400);
        int stormHosts = a.integer("storm_hosts", 5, 2, 1_000_000);
        double stormWindow = a.seconds("storm_window", 30, 1, 3600);
        a.finish();
        return new AlertingConfig(notifyAfter, baseUrl, file, remindEvery, flappingChanges, flappingWindow,
                stormHosts, stormWindow);
    }
}
