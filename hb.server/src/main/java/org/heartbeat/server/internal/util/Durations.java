package org.heartbeat.server.internal.util;

/** Durations for people: "850 ms", "22 s", "3 min 12 s", "2 h 5 min", "3 d 4 h". */
public final class Durations {
    private Durations() {
    }

    public static String human(long millis) {
        if (millis < 0) {
            return "-" + human(millis == Long.MIN_VALUE ? Long.MAX_VALUE : -millis);
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        long s = millis / 1000;
        if (s < 60) {
            long tenths = (millis % 1000) / 100;
            return s < 10 && tenths != 0 ? s + "." + tenths + " s" : s + " s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long h = m / 60;
        if (h < 24) {
            return h + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
        }
        long d = h / 24;
        return d + " d" + (h % 24 == 0 ? "" : " " + h % 24 + " h");
    }
}
