package org.heartbeat.server.alerting.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How messages spell times, durations and lists: short, and the same everywhere. */
final class Texts {
    static final String NAGIOS_EVENT = "nagios.state";
    static final String FLAPPING_EVENT = "alert.flapping";
    static final String SETTLED_EVENT = "alert.settled";
    static final String RESTART_EVENT = "server.restarted";
    static final String PLUGIN_RECOVERED_EVENT = "plugin.recovered";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Texts() {
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** {@code 45 s}, {@code 12 min}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        long m = s / 60;
        if (m < 120) {
            return m + " min";
        }
        long h = m / 60;
        if (h < 48) {
            return h + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
        }
        return h / 24 + " d" + (h % 24 == 0 ? "" : " " + h % 24 + " h");
    }

    /** The first {@code max} names joined with commas, then {@code and N more}. */
    static String list(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
    }

    static String urlSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
