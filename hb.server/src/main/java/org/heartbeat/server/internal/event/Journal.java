package org.heartbeat.server.internal.event;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.internal.host.HostTable;

/**
 * The event journal: every host event, appended to segment files in a directory of its own, each record framed
 * with its length and a CRC-32C. {@link #append} gives an event its id and returns at once; a writer thread writes
 * what was appended in batches and forces each batch to disk ({@code fdatasync}) before the events count as
 * durable. Only durable events are handed to listeners and returned by queries, so whatever a listener saw
 * survives a crash.
 *
 * <p>Ids increase by one per event; a new journal starts at the current time in microseconds, so that ids stay
 * unique and increasing even when the directory is deleted. Segments roll at a few MB; whole segments are deleted
 * once older than the retention or when the journal outgrows its size limit.
 *
 * <p>If the disk fails, events are still handed on (from memory), and the failure is reported: losing the
 * record is better than going silent about an overdue host.
 */
public final class Journal implements HostTable.EventSink, AutoCloseable {
    /** Recent events kept in memory, so listeners that keep up never read the files. */
    static final int RING = 8192;
    private static final int MAX_RECORD = 64 * 1024;
    private static final String SUFFIX = ".events";

    /** Where and how much. */
    public record Settings(Path dir, Duration retention, long maxBytes) {
        long segmentBytes() {
            return Math.max(64 * 1024, Math.min(4L * 1024 * 1024, maxBytes / 8));
        }
    }

    private static final class Segment {
        final Path file;
        final long firstId;
        final long firstTimeMillis;
        volatile long durableBytes;

        Segment(Path file, long firstId, long firstTimeMillis, long bytes) {
            this.file = file;
            this.firstId = firstId;
            this.firstTimeMillis = firstTimeMillis;
            this.durableBytes = bytes;
        }
    }

    private volatile Settings settings;
    private final LongSupplier clock;
    private final BiConsumer<String, Throwable> onError;
    private final Object lock = new Object();
    private final Object durable = new Object();
    private final ArrayDeque<HostEvent> pending = new ArrayDeque<>();
    private final HostEvent[] ring = new HostEvent[RING];
    private final List<Segment> segments = new ArrayList<>();
    private final Thread writer;
    private long lastId;
    private volatile long durableId;
    private volatile boolean running = true;
    private volatile String problem;
    private FileChannel current;
    private Segment currentSegment;
    private long nextRetentionMillis;

    private Journal(Settings settings, LongSupplier clock, BiConsumer<String, Throwable> onError) {
        this.settings = settings;
        this.clock = clock;
        this.onError = onError;
        this.writer = new Thread(this::write, "hbd-journal");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the journal in {@code settings.dir()}, creating it if needed, and repairs a torn last record.
     *
     * @param clock wall clock, ms
     * @param onError told of every disk failure; the journal goes on from memory
     */
    public static Journal open(Settings settings, LongSupplier clock, BiConsumer<String, Throwable> onError) {
        Journal j = new Journal(settings, clock, onError);
        try {
            j.load();
        } catch (IOException e) {
            j.problem = "cannot open the event journal in " + settings.dir() + ": " + e.getMessage();
            onError.accept(j.problem + "; events are kept in memory only", e);
        }
        if (j.lastId == 0) {
            j.lastId = clock.getAsLong() * 1000 - 1;
        }
        j.durableId = j.lastId;
        j.writer.start();
        return j;
    }

    private void load() throws IOException {
        Files.createDirectories(settings.dir());
        List<Path> files;
        try (Stream<Path> s = Files.list(settings.dir())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long firstId = Long.parseLong(f.getFileName().toString().replace(SUFFIX, ""));
            boolean last = i == files.size() - 1;
            Scan scan = scan(f, last);
            if (scan.count == 0 && !last) {
                Files.deleteIfExists(f);
                continue;
            }
            segments.add(new Segment(f, firstId, scan.firstTimeMillis, scan.validBytes));
            if (last) {
                lastId = scan.count == 0 ? firstId - 1 : scan.lastId;
                if (scan.validBytes < Files.size(f)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(scan.validBytes);
                        ch.force(true);
                    }
                }
            }
        }
    }

    private record Scan(long count, long lastId, long firstTimeMillis, long validBytes) {
    }

    /** Reads a segment: the first record's time, and for the last segment every record up to a torn one. */
    private static Scan scan(Path f, boolean all) throws IOException {
        long count = 0;
        long lastId = 0;
        long firstTime = 0;
        long valid = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            while (true) {
                byte[] payload = readRecord(in);
                if (payload == null) {
                    break;
                }
                HostEvent e;
                try {
                    e = JournalCodec.decode(payload);
                } catch (IOException unknown) {
                    valid += 8 + payload.length;
                    continue;
                }
                if (count == 0) {
                    firstTime = e.time().toEpochMilli();
                }
                count++;
                lastId = e.id();
                valid += 8 + payload.length;
                if (!all) {
                    break;
                }
            }
        }
        return new Scan(count, lastId, firstTime, valid);
    }

    /** The next record's payload; null at the end or at a torn or damaged record. */
    private static byte[] readRecord(DataInputStream in) throws IOException {
        int length;
        int crc;
        try {
            length = in.readInt();
            crc = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length <= 0 || length > MAX_RECORD) {
            return null;
        }
        byte[] payload = new byte[length];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            return null;
        }
        CRC32C c = new CRC32C();
        c.update(payload);
        return (int) c.getValue() == crc ? payload : null;
    }

    @Override
    public HostEvent append(HostEvent.Builder event) {
        synchronized (lock) {
            HostEvent e = event.id(lastId + 1).build();
            if (e.time().getNano() % 1_000_000 != 0) {
                e = e.toBuilder().time(e.time().truncatedTo(ChronoUnit.MILLIS)).build(); // the files keep ms
            }
            lastId = e.id();
            pending.add(e);
            ring[(int) (e.id() % RING)] = e;
            lock.notifyAll();
            return e;
        }
    }

    /** The id of the newest event appended. */
    public long lastId() {
        synchronized (lock) {
            return lastId;
        }
    }

    /** The id of the newest event on disk (or handed on despite a disk failure). */
    public long durableId() {
        return durableId;
    }

    /** What is wrong with the journal's files, or null. */
    public String problem() {
        return problem;
    }

    /** Waits until every event up to {@code id} is durable; false when {@code timeoutMillis} passed first. */
    public boolean awaitDurable(long id, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (durable) {
            while (durableId < id) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                durable.wait(left);
            }
            return true;
        }
    }

    /**
     * Up to {@code max} durable events after {@code afterId}, in order: from memory when they are recent, else from
     * the files. Waits up to {@code waitMillis} for one when there is none yet. Ids may jump (the retention removed
     * older events, or a new journal began at a later id): then the list starts after the gap, and it is empty only
     * when the journal holds no event after {@code afterId} up to the {@link #durableId()} read before the call.
     */
    public List<HostEvent> eventsAfter(long afterId, int max, long waitMillis) throws InterruptedException {
        synchronized (durable) {
            if (durableId <= afterId && waitMillis > 0) {
                durable.wait(waitMillis);
            }
        }
        long durableNow = durableId;
        long upTo = Math.min(durableNow, afterId + max);
        if (upTo <= afterId) {
            return List.of();
        }
        List<HostEvent> out = new ArrayList<>((int) (upTo - afterId));
        synchronized (lock) {
            for (long id = afterId + 1; id <= upTo; id++) {
                HostEvent e = ring[(int) (id % RING)];
                if (e == null || e.id() != id) {
                    out = null;
                    break;
                }
                out.add(e);
            }
        }
        if (out != null) {
            return out;
        }
        return read(EventQuery.builder().after(afterId).limit(Math.min(max, EventQuery.MAX_LIMIT)).build(),
                durableNow);
    }

    /** The durable events a query selects, oldest first. */
    public List<HostEvent> read(EventQuery query) {
        return read(query, durableId);
    }

    private List<HostEvent> read(EventQuery query, long upTo) {
        List<Segment> segs;
        synchronized (lock) {
            segs = List.copyOf(segments);
        }
        int start = 0;
        for (int i = 0; i < segs.size(); i++) {
            Segment s = segs.get(i);
            boolean beforeAfter = query.after() > 0 && s.firstId <= query.after() + 1;
            boolean beforeSince = query.since().isPresent()
                    && s.firstTimeMillis <= query.since().get().toEpochMilli();
            if (beforeAfter || beforeSince) {
                start = i;
            }
        }
        List<HostEvent> out = new ArrayList<>();
        for (int i = start; i < segs.size() && out.size() < query.limit(); i++) {
            Segment s = segs.get(i);
            if (query.until().isPresent() && s.firstTimeMillis >= query.until().get().toEpochMilli()) {
                break;
            }
            try {
                if (readSegment(s, query, upTo, out)) {
                    break;
                }
            } catch (IOException e) {
                onError.accept("cannot read the event journal " + s.file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Adds what a segment holds for the query; true when nothing after it can match. */
    private static boolean readSegment(Segment s, EventQuery query, long upTo, List<HostEvent> out)
            throws IOException {
        long limit = s.durableBytes;
        try (InputStream raw = Files.newInputStream(s.file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(new LimitedStream(raw, limit),
                        1 << 16))) {
            byte[] payload;
            while ((payload = readRecord(in)) != null) {
                HostEvent e;
                try {
                    e = JournalCodec.decode(payload);
                } catch (IOException unknown) {
                    continue;
                }
                if (e.id() > upTo || query.until().isPresent() && !e.time().isBefore(query.until().get())) {
                    return true;
                }
                if (query.matches(e)) {
                    out.add(e);
                    if (out.size() >= query.limit()) {
                        return true;
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException deleted) {
            // removed by the retention while we looked: its events are gone
        }
        return false;
    }

    private void write() {
        while (true) {
            List<HostEvent> batch;
            synchronized (lock) {
                while (pending.isEmpty() && running) {
                    try {
                        lock.wait(1000);
                    } catch (InterruptedException e) {
                        running = false;
                    }
                    maybeApplyRetention();
                }
                if (pending.isEmpty()) {
                    break;
                }
                batch = new ArrayList<>(pending);
                pending.clear();
            }
            writeBatch(batch);
            synchronized (durable) {
                durableId = batch.get(batch.size() - 1).id();
                durable.notifyAll();
            }
            synchronized (lock) {
                maybeApplyRetention();
            }
        }
        closeCurrent();
    }

    private void writeBatch(List<HostEvent> batch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long inSegment = 0;
            for (HostEvent e : batch) {
                byte[] payload = JournalCodec.encode(e);
                int size = 8 + payload.length;
                boolean full = currentSegment != null
                        && currentSegment.durableBytes + inSegment + size > settings.segmentBytes()
                        && currentSegment.durableBytes + inSegment > 0;
                if (current == null || full) {
                    inSegment += flush(buf);
                    commit(inSegment);
                    inSegment = 0;
                    roll(e);
                }
                if (buf.remaining() < size) {
                    inSegment += flush(buf);
                    if (buf.capacity() < size) {
                        buf = ByteBuffer.allocate(size);
                    }
                }
                CRC32C crc = new CRC32C();
                crc.update(payload);
                buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
            }
            inSegment += flush(buf);
            commit(inSegment);
            problem = null;
        } catch (IOException | RuntimeException e) {
            problem = "cannot write the event journal in " + settings.dir() + ": " + e.getMessage();
            onError.accept(problem + "; " + batch.size() + " events are handed on without being kept", e);
            closeCurrent();
        }
    }

    /** Writes what the buffer holds to the current segment; returns the bytes written. */
    private long flush(ByteBuffer buf) throws IOException {
        buf.flip();
        long n = buf.remaining();
        while (buf.hasRemaining()) {
            current.write(buf);
        }
        buf.clear();
        return n;
    }

    /** Forces what was written to the current segment to disk and makes it readable. */
    private void commit(long bytes) throws IOException {
        if (current != null && bytes > 0) {
            current.force(false);
            currentSegment.durableBytes += bytes;
        }
    }

    /** Starts a new segment, named by the id of its first event. */
    private void roll(HostEvent first) throws IOException {
        closeCurrent();
        Files.createDirectories(settings.dir());
        if (currentSegment == null && !segments.isEmpty()) {
            // reopening after start: go on appending to the last segment while it has room
            Segment last = segments.get(segments.size() - 1);
            if (last.durableBytes < settings.segmentBytes() && Files.exists(last.file)) {
                current = FileChannel.open(last.file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                currentSegment = last;
                return;
            }
        }
        Path file = settings.dir().resolve(String.format("%020d", first.id()) + SUFFIX);
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Segment s = new Segment(file, first.id(), first.time().toEpochMilli(), 0);
        synchronized (lock) {
            segments.add(s);
        }
        currentSegment = s;
        syncDirectory();
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(settings.dir(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories; the segment's own data is forced with each batch
        }
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                onError.accept("closing the event journal: " + e.getMessage(), e);
            }
            current = null;
        }
    }

    /** Deletes whole segments older than the retention, then the oldest while the journal is too big. */
    private void maybeApplyRetention() {
        long now = clock.getAsLong();
        if (now < nextRetentionMillis) {
            return;
        }
        nextRetentionMillis = now + 60_000;
        long cutoff = now - settings.retention().toMillis();
        while (segments.size() > 1) {
            Segment oldest = segments.get(0);
            Segment next = segments.get(1);
            long total = segments.stream().mapToLong(s -> s.durableBytes).sum();
            if (next.firstTimeMillis >= cutoff && total <= settings.maxBytes() || oldest == currentSegment) {
                break;
            }
            segments.remove(0);
            try {
                Files.deleteIfExists(oldest.file);
            } catch (IOException e) {
                onError.accept("cannot delete old journal segment " + oldest.file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Applies the retention now; for tests. */
    void applyRetentionNow() {
        synchronized (lock) {
            nextRetentionMillis = 0;
            maybeApplyRetention();
        }
    }

    /** Takes new retention settings; the directory stays the one opened. */
    public void settings(Settings newSettings) {
        synchronized (lock) {
            this.settings = new Settings(settings.dir(), newSettings.retention(), newSettings.maxBytes());
            nextRetentionMillis = 0;
        }
    }

    /** The directory the journal was opened in. */
    public Path dir() {
        return settings.dir();
    }

    /** Bytes the journal holds on disk. */
    public long bytes() {
        synchronized (lock) {
            return segments.stream().mapToLong(s -> s.durableBytes).sum();
        }
    }

    /** The time of the oldest event kept, or null when none is. */
    public Instant oldest() {
        synchronized (lock) {
            return segments.isEmpty() ? null : Instant.ofEpochMilli(segments.get(0).firstTimeMillis);
        }
    }

    /** Writes what is pending, then stops the writer. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads at most {@code limit} bytes of a stream: a segment's durable part, not a batch being written. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
