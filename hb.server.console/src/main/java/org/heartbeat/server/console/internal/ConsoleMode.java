package org.heartbeat.server.console.internal;

import java.util.Locale;

/** The values of the {@code console:} key. */
enum ConsoleMode {
    /** No console: every request under {@code /system/console} gets 404. */
    OFF,
    /** Only connections from the loopback address (127.0.0.0/8, ::1). */
    LOCALHOST,
    /** From anywhere (still admins only, and only from this machine while no users are configured). */
    ON;

    /** The mode a configuration names; an unknown word is taken as {@link #OFF}, so a mistake fails closed. */
    static ConsoleMode of(String word) {
        if (word == null) {
            return LOCALHOST;
        }
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "localhost" -> LOCALHOST;
            case "on" -> ON;
            default -> OFF;
        };
    }
}
