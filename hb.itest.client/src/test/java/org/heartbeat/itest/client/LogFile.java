package org.heartbeat.itest.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.osgi.framework.BundleContext;

/** The running client's log file (heartbeat.logfile in itest.bndrun), from the moment a test opened it. */
final class LogFile {
    private final Path file;
    private final long from;

    LogFile(BundleContext context) throws IOException {
        this.file = Path.of(context.getProperty("heartbeat.logfile"));
        this.from = Files.exists(file) ? Files.size(file) : 0;
    }

    /** The lines written since this was made. */
    List<String> lines() {
        try {
            byte[] all = Files.readAllBytes(file);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            return Arrays.asList(text.split("\\R"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
