package org.heartbeat.server.internal.host;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.Addresses;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The server's state file ({@code pickfile}): every tracked host, so that a restart forgets none and raises no false
 * alarm. JSON, versioned ({@value #FORMAT}, version {@value #VERSION}), described in the README. Written atomically:
 * a temporary file beside it is written, flushed to disk and renamed over the old one, so a crash at any moment
 * leaves either the old or the new file, never a torn one. docs/design/events-and-state.md says how it and the
 * event journal fit together.
 */
public final class StateFile {
    static final String FORMAT = "heartbeat-state";
    static final int VERSION = 1;
    public static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /**
     * What a state file holds.
     *
     * @param savedAt when it was written
     * @param cleanStop whether the server wrote it as it stopped; false in every file written while it ran, so a
     *        file that says false at start means the server stopped uncleanly (killed, crashed, power lost)
     * @param journalId the last event id that was in the journal before the hosts were copied: events after it
     *        may not be reflected in {@code hosts} and are replayed at start
     * @param hosts the hosts
     */
    public record Contents(Instant savedAt, boolean cleanStop, long journalId, List<SavedHost> hosts) {
        public Contents {
            hosts = List.copyOf(hosts);
        }
    }

    /** A state file that cannot be used, and why. */
    public static final class UnreadableStateException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableStateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // The file's shape, written and read by Jackson. Field names are the file format: change them only with VERSION.
    record FileJson(String format, int version, String savedAt, Boolean cleanStop, Long journalId,
            List<HostJson> hosts) {
    }

    record HostJson(String name, String status, String firstSeen, String lastSeen, String overdueSince,
            long announcedIntervalMs, List<Integer> rttUs, @JsonInclude(JsonInclude.Include.NON_NULL) String address,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer port, String bootTime, String lastBoot,
            String lastSeq, String maxSeq, long heartbeats, boolean authenticated, List<CommandJson> commands,
            long nextCommandId, long commandsDone) {
    }

    record CommandJson(long id, String name, String argument) {
    }

    private StateFile() {
    }

    public static void write(Path file, Contents contents) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(ch);
            JSON.writeValue(out, json(contents));
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

    private static FileJson json(Contents c) {
        List<HostJson> hosts = new ArrayList<>(c.hosts().size());
        for (SavedHost s : c.hosts()) {
            HostView h = s.view();
            List<Integer> rtt = h.rttHistory().stream().map(d -> (int) Math.min(Integer.MAX_VALUE, d.toNanos() / 1000))
                    .toList();
            hosts.add(new HostJson(h.name(), h.status().word(), time(h.firstSeen()), time(h.lastSeen()),
                    time(h.overdueSince()), h.announcedInterval().map(Duration::toMillis).orElse(0L), rtt,
                    h.address().map(a -> Addresses.ip(a.getAddress())).orElse(null),
                    h.address().map(InetSocketAddress::getPort).orElse(null), time(h.bootTime()), time(h.lastBoot()),
                    Long.toUnsignedString(s.lastSeq()), Long.toUnsignedString(s.maxSeq()), h.heartbeats(),
                    h.authenticated(), h.pendingCommands().stream()
                            .map(p -> new CommandJson(p.id(), p.name(), p.argument())).toList(),
                    s.nextCommandId(), s.commandsDone()));
        }
        return new FileJson(FORMAT, VERSION, ISO.format(c.savedAt()), c.cleanStop(), c.journalId(), hosts);
    }

    private static String time(Optional<Instant> t) {
        return t.map(ISO::format).orElse(null);
    }

    /** Reads a state file; null when there is none. */
    public static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        FileJson root;
        try {
            root = JSON.readValue(file.toFile(), FileJson.class);
        } catch (IOException e) {
            throw new UnreadableStateException(file + " is not a Heartbeat state file (not valid JSON: "
                    + e.getMessage() + ")", e);
        }
        if (root == null || !FORMAT.equals(root.format())) {
            throw new UnreadableStateException(file + " is not a Heartbeat state file", null);
        }
        if (root.version() != VERSION) {
            throw new UnreadableStateException(file + " has state format version " + root.version()
                    + "; this hbd reads version " + VERSION + " (was it written by a newer hbd?)", null);
        }
        try {
            List<SavedHost> hosts = new ArrayList<>();
            for (HostJson h : root.hosts() == null ? List.<HostJson>of() : root.hosts()) {
                hosts.add(host(h));
            }
            // Files of earlier releases have neither field: they were written at a clean stop or every 30 s.
            boolean clean = root.cleanStop() == null || root.cleanStop();
            return new Contents(Instant.from(ISO.parse(root.savedAt())), clean,
                    root.journalId() == null ? 0 : root.journalId(), hosts);
        } catch (RuntimeException e) {
            throw new UnreadableStateException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static SavedHost host(HostJson h) {
        if (h.name() == null || h.name().isEmpty()) {
            throw new IllegalArgumentException("a host without a name");
        }
        InetSocketAddress address = h.address() == null ? null
                : new InetSocketAddress(InetAddressParser.parse(h.address()), h.port() == null ? 0 : h.port());
        List<PendingCommand> commands = h.commands() == null ? List.of() : h.commands().stream()
                .map(c -> new PendingCommand(c.id(), c.name(), c.argument())).toList();
        HostView view = HostView.builder(h.name()).status(HostStatus.ofWord(h.status()))
                .firstSeen(instant(h.firstSeen())).lastSeen(instant(h.lastSeen()))
                .overdueSince(instant(h.overdueSince()))
                .announcedInterval(h.announcedIntervalMs() > 0 ? Duration.ofMillis(h.announcedIntervalMs()) : null)
                .rttHistory(h.rttUs() == null ? List.of()
                        : h.rttUs().stream().map(us -> Duration.ofNanos(us * 1000L)).toList())
                .address(address).bootTime(instant(h.bootTime())).lastBoot(instant(h.lastBoot()))
                .heartbeats(h.heartbeats()).authenticated(h.authenticated()).pendingCommands(commands).build();
        return new SavedHost(view, parseUnsigned(h.lastSeq()), parseUnsigned(h.maxSeq()), h.nextCommandId(),
                h.commandsDone());
    }

    private static long parseUnsigned(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseUnsignedLong(s);
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.from(ISO.parse(s));
    }
}
