package org.heartbeat.client.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** When this machine booted, from /proc/uptime; 0 where that is not available. */
final class BootTime {
    private BootTime() {
    }

    static long millis() {
        try {
            String text = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII).strip();
            double uptimeSeconds = Double.parseDouble(text.substring(0, text.indexOf(' ')));
            return System.currentTimeMillis() - Math.round(uptimeSeconds * 1000);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
