package org.heartbeat.runtime.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.heartbeat.runtime.LogOutput;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;

/**
 * Writes the runtime's log, one line per entry, to standard output or, when the launcher names a log
 * file, to that file, which it rotates by size and reopens on {@link #reopen()} (SIGHUP), for
 * logrotate. Entries logged before it started are written first, in order.
 *
 * <p>A component that could not be created is one line with the root cause, its stack only with
 * {@code -v} ({@link ComponentFailures}). When it was being created because a consumer asked for its service
 * (hbc's plugin scheduler, through {@code ComponentServiceObjects}), the consumer reports it in terms of its
 * own (the plugin's name), so SCR's line and the framework's "Service factory returned null" are detail, shown
 * with {@code -v}.
 */
@Component(service = LogOutput.class, immediate = true)
public final class LogSink implements LogListener, LogOutput {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final LogReaderService reader;
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final boolean verbose;
    private Writer out;
    private long written;

    @Activate
    public LogSink(BundleContext context, @Reference LogReaderService reader, @Reference LoggerAdmin admin)
            throws IOException {
        this.reader = reader;
        String logfile = context.getProperty(LOGFILE_PROPERTY);
        this.file = logfile == null || logfile.isBlank() ? null : Path.of(logfile);
        this.verbose = Boolean.parseBoolean(context.getProperty(VERBOSE_PROPERTY));
        this.maxBytes = parseLong(context.getProperty(MAX_BYTES_PROPERTY), 10L * 1024 * 1024);
        this.keep = (int) parseLong(context.getProperty(KEEP_PROPERTY), 5);
        admin.getLoggerContext(null).setLogLevels(Map.of(
                Logger.ROOT_LOGGER_NAME, LogLevel.INFO,
                "org.heartbeat", verbose ? LogLevel.DEBUG : LogLevel.INFO));
        synchronized (this) {
            open();
            // what was logged before this component started, oldest first
            List<LogEntry> earlier = new ArrayList<>();
            for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
                earlier.add(e.nextElement());
            }
            Collections.reverse(earlier);
            earlier.forEach(this::logged);
        }
        reader.addLogListener(this);
    }

    private static long parseLong(String s, long def) {
        try {
            return s == null ? def : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        String message = entry.getMessage();
        Throwable t = entry.getException();
        boolean condensed = false;
        String failure = ComponentFailures.condensed(message, t);
        if (failure != null) {
            // one line; the stack only in detail. A consumer that asked for the service reports it itself.
            message = failure;
            condensed = true;
            level = ComponentFailures.createdOnRequest(t) ? LogLevel.DEBUG : LogLevel.ERROR;
        } else if (ComponentFailures.isEcho(message, t)) {
            level = LogLevel.DEBUG;
            condensed = true;
        }
        if (!wanted(level, message)) {
            return;
        }
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(entry.getTime()))).append(' ');
        line.append(String.format("%-5s", level == LogLevel.WARN ? "WARN" : level.name()));
        line.append(' ');
        if (verbose) {
            line.append('[').append(shortName(entry.getLoggerName())).append("] ");
        }
        line.append(message);
        if (t != null && condensed && !verbose) {
            t = null;
        }
        if (t != null) {
            if (verbose || level == LogLevel.ERROR) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            } else {
                line.append(": ").append(t);
            }
        }
        line.append(System.lineSeparator());
        write(line.toString());
    }

    private boolean wanted(LogLevel level, String m) {
        if (!(verbose ? LogLevel.DEBUG : LogLevel.INFO).implies(level)) {
            return false;
        }
        if (m == null || level.ordinal() < LogLevel.INFO.ordinal()) {
            return true;
        }
        // The log service turns every framework, bundle and service event into an entry; only bundle
        // events are worth a line, and only when asked for detail. Declarative Services reports its own
        // progress under the components' names, prefixed "bundle NAME:VERSION (ID)": only its warnings
        // and errors are ours to show.
        if (m.startsWith("ServiceEvent ") || m.startsWith("FrameworkEvent ") || m.startsWith("BundleEvent ")) {
            return verbose && m.startsWith("BundleEvent ");
        }
        return !m.startsWith("bundle ");
    }

    private static String shortName(String loggerName) {
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }

    private void write(String line) {
        try {
            out.write(line);
            out.flush();
            written += line.getBytes(StandardCharsets.UTF_8).length;
            if (file != null && maxBytes > 0 && written >= maxBytes) {
                rotate();
            }
        } catch (IOException e) {
            System.err.println("heartbeat: cannot write log " + file + ": " + e + "; " + line.strip());
        }
    }

    private void open() throws IOException {
        if (file == null) {
            out = new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            written = 0;
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = keep - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(file.getFileName() + "." + (i + 1)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep > 0) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        open();
    }

    @Override
    public synchronized void reopen() {
        if (file == null) {
            return;
        }
        try {
            out.close();
            open();
        } catch (IOException e) {
            System.err.println("heartbeat: cannot reopen log " + file + ": " + e);
        }
    }

    @Deactivate
    synchronized void deactivate() throws IOException {
        reader.removeLogListener(this);
        out.flush();
        if (file != null) {
            out.close();
        }
    }
}
