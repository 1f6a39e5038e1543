package org.heartbeat.server.outbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.heartbeat.server.outbox.internal.EntryCodec.ChannelRecord;

/**
 * The outbox's file: an H2 MVStore with three maps (docs/design/outbox.md): {@code entries} (seq → the entry as
 * JSON), {@code channels} (name → its failure count, last delivery and last problem as JSON) and {@code meta}
 * ({@code next_seq}). Each change is one {@code put}; {@link #commit()} writes what changed to the file before the
 * caller goes on, so a process killed after it finds the change on disk. Used under the {@link Ledger}'s lock.
 *
 * <p>Not final only so that tests can stand in stores whose writes fail.
 */
class OutboxStore implements AutoCloseable {
    private static final String NEXT_SEQ = "next_seq";

    private final MVStore store;
    private final Path file;
    private final MVMap<Long, byte[]> entries;
    private final MVMap<String, byte[]> channels;
    private final MVMap<String, Long> meta;

    OutboxStore(MVStore store, Path file) {
        this.store = store;
        this.file = file;
        this.entries = store.openMap("entries", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
        this.channels = store.openMap("channels", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        this.meta = store.openMap("meta", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
    }

    /**
     * Opens (or creates) the store in {@code file}.
     *
     * @throws IOException naming the file and the problem: not writable, in use by another process, damaged
     */
    static OutboxStore open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            return new OutboxStore(new MVStore.Builder().fileName(file.toString()).autoCompactFillRate(50).open(),
                    file);
        } catch (MVStoreException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.contains("locked")) {
                throw new IOException("outbox file " + file + " is in use by another process (another hbd?)", e);
            }
            throw new IOException("cannot open outbox file " + file + ": " + why, e);
        }
    }

    /** A store that lives in memory only, for when the file cannot be used, and for tests. */
    static OutboxStore inMemory() {
        return new OutboxStore(new MVStore.Builder().open(), null);
    }

    /** The file, or null when in memory only. */
    Path file() {
        return file;
    }

    /** The number the next entry gets, kept in the store so that numbers are never reused; 1 in a new store. */
    long nextSeq() {
        return meta.getOrDefault(NEXT_SEQ, 1L);
    }

    void nextSeq(long seq) {
        meta.put(NEXT_SEQ, seq);
    }

    void put(StoredEntry e) {
        entries.put(e.seq(), EntryCodec.encode(e));
    }

    void remove(long seq) {
        entries.remove(seq);
    }

    /** Every entry as stored, by seq, in seq order. */
    Map<Long, byte[]> entries() {
        Map<Long, byte[]> out = new LinkedHashMap<>();
        entries.forEach(out::put);
        return out;
    }

    void putChannel(String name, ChannelRecord r) {
        channels.put(name, EntryCodec.encode(r));
    }

    Map<String, byte[]> channels() {
        return new LinkedHashMap<>(channels);
    }

    /** Writes every change so far to the file (a no-op in memory). */
    void commit() {
        store.commit();
    }

    @Override
    public void close() {
        store.close();
    }

    /** For tests: lets go of the file as a killed process would, without writing what is not committed. */
    void crash() {
        store.closeImmediately();
    }
}
