package org.heartbeat.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine's name as gethostname() returns it, without any DNS look-up, so that hbc, hbd (to its peers), hbc_mini.py
 * (socket.gethostname()) and hbc_mini.c (gethostname()) report one machine under one name.
 */
public final class MachineName {
    private MachineName() {
    }

    /** The machine's name: the name {@code hbc} reports under by default, and {@code hbd} to its peers. */
    public static String local() {
        Path proc = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(proc)) {
                String name = Files.readString(proc, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through to the hostname command
        }
        try {
            Process p = new ProcessBuilder("hostname").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && !name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
