package org.heartbeat.server.history.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The time series of plugin values and the latest sample of every plugin, in an H2 MVStore file
 * (docs/design/history-store.md says why). One series per host, plugin and metric path holds numbers
 * (booleans as 1 and 0). Samples are kept as they arrived ("raw") until {@link #reduce reduced} to one point
 * per resolution step with average, minimum, maximum and count, which are kept until the retention ends.
 *
 * <p>Keys pack a series id (21 bits, ids of emptied series are reused) with a time in milliseconds (42 bits,
 * enough until the year 2109), so a series' points lie side by side in time order and a range is one scan.
 * Writes come from one thread; reads may come from any.
 *
 * <p>{@link Limits} bound what writers can make it keep: series per plugin of a host, and the space on disk.
 * MVStore writes changes to new places in its file and frees the old ones some time later (45 seconds), reusing
 * the free space; the file shrinks only when its end is free. So two figures count: the data the file holds
 * ({@link #usedOnDisk}) and the file's size ({@link #sizeOnDisk}). When the data exceeds the limit, no new series
 * are created while existing ones go on and the retention frees space; when the file has also grown past 110%
 * of the limit, no points are taken at all.
 *
 * <p>Not final only so that tests can stand in stores that are slow to write or report a size of their choosing.
 */
class HistoryStore implements AutoCloseable {
    /** The most series at once. */
    static final long MAX_SERIES = (1L << 21) - 1;
    private static final int TIME_BITS = 42;
    private static final long TIME_MASK = (1L << TIME_BITS) - 1;
    private static final String NEXT_ID = "next_series_id";

    /**
     * What the store may hold: {@code maxMetricsPerPlugin} series per plugin of a host, and {@code maxSizeBytes}
     * of data on disk, in a file of 10% more.
     */
    record Limits(int maxMetricsPerPlugin, long maxSizeBytes) {
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Long.MAX_VALUE);

        Limits {
            if (maxMetricsPerPlugin < 1 || maxSizeBytes < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxMetricsPerPlugin + " series, "
                        + maxSizeBytes + " bytes");
            }
        }

        /** The size past which not even points of existing series are taken. */
        long hardSizeBytes() {
            return maxSizeBytes > Long.MAX_VALUE / 11 * 10 ? Long.MAX_VALUE : maxSizeBytes / 10 * 11;
        }
    }

    /** What became of a value given to {@link #append}. */
    enum Outcome {
        RECORDED,
        /** A new series, and the store holds {@link #MAX_SERIES}: its id space is used up. */
        SERIES_FULL,
        /** A new series, and its plugin has {@link Limits#maxMetricsPerPlugin} already. */
        METRICS_PER_PLUGIN,
        /** A new series, and the file holds more than {@link Limits#maxSizeBytes} of data. */
        SIZE_NEW_SERIES,
        /** The file holds more than {@link Limits#maxSizeBytes} and is larger than {@link Limits#hardSizeBytes}. */
        SIZE_POINTS
    }

    /** One point of a series: a sample as it arrived (count 1, min = max = value) or a reduced step. */
    record Point(long timeMillis, double value, double min, double max, long count, boolean reduced) {
        static Point raw(long timeMillis, double value) {
            return new Point(timeMillis, value, value, value, 1, false);
        }
    }

    private final MVStore store;
    private final Path file;
    private final MVMap<String, Long> series;
    private final MVMap<Long, Boolean> freeIds;
    private final MVMap<String, Long> meta;
    /** Values as the bits of their double: typed maps of longs are much cheaper to write than objects. */
    private final MVMap<Long, Long> raw;
    private final MVMap<Long, byte[]> reduced;
    private final MVMap<String, byte[]> latest;
    /**
     * Series ids by host and plugin, then by metric: one small map per plugin keeps look-ups cheap. A plugin's
     * map holds all of its series (read from the file when the plugin is first written), so its size is the
     * plugin's number of series. Used by the writing thread only.
     */
    private final Map<String, Map<String, Long>> idCache = new HashMap<>();
    private volatile Limits limits = Limits.NONE;
    private volatile long fileBytes;
    private volatile long usedBytes;

    HistoryStore(MVStore store, Path file) {
        this.store = store;
        this.file = file;
        this.series = store.openMap("series", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
        this.freeIds = store.openMap("free_series_ids");
        this.meta = store.openMap("meta");
        this.raw = store.openMap("raw", new MVMap.Builder<Long, Long>().keyType(LongDataType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
        this.reduced = store.openMap("reduced", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
        this.latest = store.openMap("latest", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
        measure();
    }

    /**
     * Opens (or creates) the store in {@code file}.
     *
     * @throws IOException naming the file and the problem: not writable, in use by another process, damaged
     */
    static HistoryStore open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            MVStore s = new MVStore.Builder().fileName(file.toString()).autoCompactFillRate(50)
                    .open();
            return new HistoryStore(s, file);
        } catch (MVStoreException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.contains("locked")) {
                throw new IOException("history file " + file + " is in use by another process (another hbd?)", e);
            }
            throw new IOException("cannot open history file " + file + ": " + why, e);
        }
    }

    /** A store that lives in memory only, for when the file cannot be used, and for tests. */
    static HistoryStore inMemory() {
        return new HistoryStore(new MVStore.Builder().open(), null);
    }

    /** The file, or null when in memory only. */
    Path file() {
        return file;
    }

    /** Sets the limits that writes from now on obey; the store may hold more already, and keeps it. */
    void limits(Limits newLimits) {
        this.limits = newLimits;
    }

    Limits limits() {
        return limits;
    }

    /**
     * Reads how large the file is and how much of it holds data (no I/O, but a count over the file's blocks):
     * {@link #append} goes by the last reading, so call it every second or so.
     */
    void measure() {
        FileStore<?> fs = store.getFileStore();
        if (fs != null) {
            long size = fs.size();
            fileBytes = size;
            usedBytes = size / 100 * fs.getFillRate();
        }
    }

    /** The size of the file at the last {@link #measure}; 0 when in memory only. */
    long sizeOnDisk() {
        return fileBytes;
    }

    /** The bytes of the file that held data, live or not yet freed, at the last {@link #measure}. */
    long usedOnDisk() {
        return usedBytes;
    }

    /** For tests: how long MVStore keeps space that no longer holds live data before it reuses it (45 s). */
    void retentionMillis(int millis) {
        store.setRetentionTime(millis);
    }

    static String seriesName(String host, String plugin, String metric) {
        return host + '\0' + plugin + '\0' + metric;
    }

    /** Appends one value of a series, creating the series if the limits allow. */
    Outcome append(String host, String plugin, String metric, long timeMillis, double value) {
        Limits l = limits;
        boolean full = usedOnDisk() > l.maxSizeBytes();
        if (full && sizeOnDisk() > l.hardSizeBytes()) {
            return Outcome.SIZE_POINTS;
        }
        Map<String, Long> ofPlugin = seriesOf(host, plugin);
        Long id = ofPlugin.get(metric);
        if (id == null) {
            if (ofPlugin.size() >= l.maxMetricsPerPlugin()) {
                return Outcome.METRICS_PER_PLUGIN;
            }
            if (full) {
                return Outcome.SIZE_NEW_SERIES;
            }
            long allocated = allocate();
            if (allocated < 0) {
                return Outcome.SERIES_FULL;
            }
            id = allocated;
            series.put(seriesName(host, plugin, metric), id);
            ofPlugin.put(metric, id);
        }
        raw.put(key(id, timeMillis), Double.doubleToRawLongBits(value));
        return Outcome.RECORDED;
    }

    /** Every series of a plugin of a host, by metric: from the cache, else from the file. */
    private Map<String, Long> seriesOf(String host, String plugin) {
        return idCache.computeIfAbsent(host + '\0' + plugin, k -> {
            String prefix = k + '\0';
            Map<String, Long> ids = new HashMap<>();
            for (Cursor<String, Long> c = series.cursor(prefix); c.hasNext();) {
                String name = c.next();
                if (!name.startsWith(prefix)) {
                    break;
                }
                ids.put(name.substring(prefix.length()), c.getValue());
            }
            return ids;
        });
    }

    private long allocate() {
        Long free = freeIds.firstKey();
        if (free != null) {
            freeIds.remove(free);
            return free;
        }
        long next = meta.getOrDefault(NEXT_ID, 1L);
        if (next > MAX_SERIES) {
            return -1;
        }
        meta.put(NEXT_ID, next + 1);
        return next;
    }

    private static long key(long id, long timeMillis) {
        return id << TIME_BITS | Math.max(0, Math.min(timeMillis, TIME_MASK));
    }

    /**
     * The points of one series from {@code since} to {@code until} (inclusive), oldest first: reduced steps
     * for the older part, samples as they arrived for the newer.
     *
     * @return null when there is no such series
     */
    List<Point> query(String host, String plugin, String metric, long since, long until, int limit) {
        Long id = series.get(seriesName(host, plugin, metric));
        if (id == null) {
            return null;
        }
        List<Point> out = new ArrayList<>();
        if (since > until) {
            return out;
        }
        long from = key(id, since);
        long to = key(id, until);
        for (Cursor<Long, byte[]> c = reduced.cursor(from, to, false); c.hasNext() && out.size() < limit;) {
            long k = c.next();
            out.add(decodeReduced(k & TIME_MASK, c.getValue()));
        }
        for (Cursor<Long, Long> c = raw.cursor(from, to, false); c.hasNext() && out.size() < limit;) {
            long k = c.next();
            out.add(Point.raw(k & TIME_MASK, Double.longBitsToDouble(c.getValue())));
        }
        // reduced steps are older than the samples kept as they are, except for late arrivals between reductions
        out.sort(Comparator.comparingLong(Point::timeMillis));
        return out;
    }

    /** The metric paths with history of one plugin of a host. */
    List<String> metrics(String host, String plugin) {
        String prefix = host + '\0' + plugin + '\0';
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = series.keyIterator(prefix); it.hasNext();) {
            String name = it.next();
            if (!name.startsWith(prefix)) {
                break;
            }
            out.add(name.substring(prefix.length()));
        }
        return out;
    }

    /**
     * Reduces samples older than {@code rawCutoff} to one point per {@code stepMillis} (only whole steps
     * before the cutoff) and deletes everything older than {@code retentionCutoff}. Series left empty are
     * removed and their ids reused.
     *
     * @return the number of points deleted or merged into steps
     */
    long reduce(long rawCutoff, long retentionCutoff, long stepMillis) {
        long stepCutoff = Math.floorDiv(rawCutoff, stepMillis) * stepMillis;
        long changed = 0;
        List<String> emptied = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = series.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Long> e = it.next();
            long id = e.getValue();
            changed += reduceSeries(id, stepCutoff, stepMillis);
            changed += deleteBefore(raw, id, retentionCutoff);
            changed += deleteBefore(reduced, id, retentionCutoff);
            if (isEmpty(raw, id) && isEmpty(reduced, id)) {
                emptied.add(e.getKey());
            }
        }
        for (String name : emptied) {
            removeSeries(name);
        }
        return changed;
    }

    private long reduceSeries(long id, long stepCutoff, long stepMillis) {
        Map<Long, double[]> steps = new LinkedHashMap<>();
        List<Long> merged = new ArrayList<>();
        for (Cursor<Long, Long> c = raw.cursor(key(id, 0), key(id, stepCutoff - 1), false); c.hasNext();) {
            long k = c.next();
            long t = k & TIME_MASK;
            if (t >= stepCutoff) {
                break;
            }
            double v = Double.longBitsToDouble(c.getValue());
            long step = Math.floorDiv(t, stepMillis) * stepMillis;
            double[] s = steps.computeIfAbsent(step, x -> new double[] {0, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, 0});
            s[0] += v;
            s[1] = Math.min(s[1], v);
            s[2] = Math.max(s[2], v);
            s[3]++;
            merged.add(k);
        }
        for (Map.Entry<Long, double[]> e : steps.entrySet()) {
            long k = key(id, e.getKey());
            double[] s = e.getValue();
            byte[] before = reduced.get(k);
            Point p = new Point(e.getKey(), s[0] / s[3], s[1], s[2], (long) s[3], true);
            if (before != null) {
                // late samples for a step reduced already: fold them in
                Point b = decodeReduced(e.getKey(), before);
                long count = b.count() + p.count();
                p = new Point(e.getKey(), (b.value() * b.count() + p.value() * p.count()) / count,
                        Math.min(b.min(), p.min()), Math.max(b.max(), p.max()), count, true);
            }
            reduced.put(k, encodeReduced(p));
        }
        merged.forEach(raw::remove);
        return merged.size();
    }

    private static <V> long deleteBefore(MVMap<Long, V> map, long id, long cutoff) {
        List<Long> old = new ArrayList<>();
        for (Iterator<Long> it = map.keyIterator(key(id, 0)); it.hasNext();) {
            long k = it.next();
            if (k >>> TIME_BITS != id || (k & TIME_MASK) >= cutoff) {
                break;
            }
            old.add(k);
        }
        old.forEach(map::remove);
        return old.size();
    }

    private static boolean isEmpty(MVMap<Long, ?> map, long id) {
        Long k = map.ceilingKey(key(id, 0));
        return k == null || k >>> TIME_BITS != id;
    }

    private void removeSeries(String name) {
        Long id = series.remove(name);
        String[] parts = name.split("\0", 3);
        Map<String, Long> ofPlugin = idCache.get(parts[0] + '\0' + parts[1]);
        if (ofPlugin != null) {
            ofPlugin.remove(parts[2]);
        }
        if (id != null) {
            deleteBefore(raw, id, TIME_MASK + 1);
            deleteBefore(reduced, id, TIME_MASK + 1);
            freeIds.put(id, Boolean.TRUE);
        }
    }

    /** Deletes every series and the latest samples of a host. */
    void forgetHost(String host) {
        String prefix = host + '\0';
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = series.keyIterator(prefix); it.hasNext();) {
            String name = it.next();
            if (!name.startsWith(prefix)) {
                break;
            }
            names.add(name);
        }
        names.forEach(this::removeSeries);
        idCache.keySet().removeIf(k -> k.startsWith(prefix));
        List<String> latestKeys = new ArrayList<>();
        for (Iterator<String> it = latest.keyIterator(prefix); it.hasNext();) {
            String k = it.next();
            if (!k.startsWith(prefix)) {
                break;
            }
            latestKeys.add(k);
        }
        latestKeys.forEach(latest::remove);
    }

    /** Keeps the latest state of a plugin, encoded by the caller. */
    void putLatest(String host, String plugin, byte[] encoded) {
        latest.put(host + '\0' + plugin, encoded);
    }

    /** Every latest state kept, keyed by host and plugin. */
    Map<String, Map<String, byte[]>> latest() {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : latest.entrySet()) {
            int nul = e.getKey().indexOf('\0');
            out.computeIfAbsent(e.getKey().substring(0, nul), h -> new LinkedHashMap<>())
                    .put(e.getKey().substring(nul + 1), e.getValue());
        }
        return out;
    }

    /** How many series and points are kept, for the status API. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("series", series.sizeAsLong());
        out.put("raw_points", raw.sizeAsLong());
        out.put("reduced_points", reduced.sizeAsLong());
        return out;
    }

    /** Writes what is pending to the file. */
    void commit() {
        store.commit();
    }

    private static byte[] encodeReduced(Point p) {
        return ByteBuffer.allocate(32).putDouble(p.value()).putDouble(p.min()).putDouble(p.max())
                .putLong(p.count()).array();
    }

    private static Point decodeReduced(long timeMillis, byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b);
        return new Point(timeMillis, in.getDouble(), in.getDouble(), in.getDouble(), in.getLong(), true);
    }

    @Override
    public void close() {
        store.close();
    }
}
