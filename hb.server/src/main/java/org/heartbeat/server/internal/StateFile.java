package org.heartbeat.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.heartbeat.protocol.Command;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The server's state file ({@code pickfile}): every tracked host, so that a restart forgets none and
 * raises no false alarm. JSON, versioned ({@value #FORMAT}, version {@value #VERSION}), described in the
 * README. Written atomically: a temporary file beside it is written, flushed to disk and renamed over the
 * old one, so a crash at any moment leaves either the old or the new file, never a torn one.
 */
final class StateFile {
    static final String FORMAT = "heartbeat-state";
    static final int VERSION = 1;
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a state file holds. */
    record Contents(Instant savedAt, List<HostSnapshot> hosts) {
    }

    /** A state file that cannot be used, and why. */
    static final class UnreadableStateException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableStateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private StateFile() {
    }

    static void write(Path file, List<HostSnapshot> hosts, long nowMillis) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(ch);
            try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                writeJson(g, hosts, nowMillis);
            }
            out.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform lets a directory be opened; the rename is still atomic there.
        }
    }

    private static void writeJson(JsonGenerator g, List<HostSnapshot> hosts, long nowMillis) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeStringField("saved_at", ISO.format(Instant.ofEpochMilli(nowMillis)));
        g.writeArrayFieldStart("hosts");
        for (HostSnapshot h : hosts) {
            g.writeStartObject();
            g.writeStringField("name", h.name());
            g.writeStringField("status", h.status().word());
            time(g, "first_seen", h.firstSeenMillis());
            time(g, "last_seen", h.lastSeenMillis());
            time(g, "overdue_since", h.overdueSinceMillis());
            g.writeNumberField("announced_interval_ms", h.announcedIntervalMillis());
            g.writeArrayFieldStart("rtt_us");
            for (int rtt : h.rttHistoryMicros()) {
                g.writeNumber(rtt);
            }
            g.writeEndArray();
            if (h.address() != null) {
                g.writeStringField("address", h.address());
                g.writeNumberField("port", h.port());
            }
            time(g, "boot_time", h.bootTimeMillis());
            time(g, "last_boot", h.lastBootMillis());
            g.writeStringField("last_seq", Long.toUnsignedString(h.lastSeq()));
            g.writeStringField("max_seq", Long.toUnsignedString(h.maxSeq()));
            g.writeNumberField("heartbeats", h.heartbeats());
            g.writeBooleanField("authenticated", h.authenticated());
            g.writeArrayFieldStart("commands");
            for (Command c : h.pendingCommands()) {
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("name", c.name());
                g.writeStringField("argument", c.argument());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("next_command_id", h.nextCommandId());
            g.writeNumberField("commands_done", h.commandsDone());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void time(JsonGenerator g, String field, long millis) throws IOException {
        if (millis == 0) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, ISO.format(Instant.ofEpochMilli(millis)));
        }
    }

    /** Reads a state file; null when there is none. */
    static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UnreadableStateException(file + " is not a Heartbeat state file (not valid JSON: "
                    + e.getMessage() + ")", e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new UnreadableStateException(file + " is not a Heartbeat state file", null);
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new UnreadableStateException(file + " has state format version " + version
                    + "; this hbd reads version " + VERSION + " (was it written by a newer hbd?)", null);
        }
        try {
            List<HostSnapshot> hosts = new ArrayList<>();
            for (JsonNode h : root.path("hosts")) {
                hosts.add(host(h));
            }
            return new Contents(Instant.from(ISO.parse(root.path("saved_at").asText())), hosts);
        } catch (RuntimeException e) {
            throw new UnreadableStateException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static HostSnapshot host(JsonNode h) {
        int[] rtt = new int[h.path("rtt_us").size()];
        for (int i = 0; i < rtt.length; i++) {
            rtt[i] = h.path("rtt_us").get(i).asInt();
        }
        List<Command> commands = new ArrayList<>();
        for (JsonNode c : h.path("commands")) {
            commands.add(new Command(c.path("id").asLong(), c.path("name").asText(), c.path("argument").asText("")));
        }
        String name = h.path("name").asText();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a host without a name");
        }
        return new HostSnapshot(name, HostStatus.ofWord(h.path("status").asText()), false,
                time(h, "first_seen"), time(h, "last_seen"), 0, 0, h.path("announced_interval_ms").asLong(),
                time(h, "overdue_since"), rtt, h.hasNonNull("address") ? h.path("address").asText() : null,
                h.path("port").asInt(), time(h, "boot_time"), time(h, "last_boot"),
                Long.parseUnsignedLong(h.path("last_seq").asText("0")),
                Long.parseUnsignedLong(h.path("max_seq").asText("0")), h.path("heartbeats").asLong(),
                h.path("authenticated").asBoolean(), null, commands, h.path("next_command_id").asLong(1),
                h.path("commands_done").asLong());
    }

    private static long time(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n == null || n.isNull() ? 0 : Instant.from(ISO.parse(n.asText())).toEpochMilli();
    }
}
