package org.heartbeat.server.alerting.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.alert.Acknowledgement;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.AlertRecord;
import org.heartbeat.server.api.alert.Silence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What alerting keeps across restarts, in an H2 MVStore file ({@code alerting: file:}): the active alerts with
 * their acknowledgements, the silences, the id of the last host event handled and when {@code hbd} was last alive.
 * Each change is committed before the engine goes on, so a {@code kill -9} loses none of it. Values are small JSON
 * documents, so the file stays readable by a later version.
 */
final class AlertStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MVStore store;
    private final MVMap<String, String> alerts;
    private final MVMap<String, String> silences;
    private final MVMap<String, Long> meta;
    private final MVMap<Long, String> history;

    private AlertStore(MVStore store) {
        this.store = store;
        this.alerts = store.openMap("alerts");
        this.silences = store.openMap("silences");
        this.meta = store.openMap("meta");
        this.history = store.openMap("history");
    }

    static AlertStore open(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            return new AlertStore(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open());
        } catch (MVStoreException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.contains("locked")) {
                throw new IOException("alerting file " + file + " is in use by another process (another hbd?)", e);
            }
            throw new IOException("cannot open alerting file " + file + ": " + why, e);
        }
    }

    static AlertStore inMemory() {
        return new AlertStore(new MVStore.Builder().open());
    }

    // ---- alerts ------------------------------------------------------------------------------------------------

    record StoredAlert(String id, String host, String kind, String subject, String severity, long since,
            Double value, Double threshold, String message, Long notifyAt, Long lastNotified, boolean viaSummary,
            String ackUser, Long ackTime, String ackComment, String heldBack) {
    }

    void save(AlertState a) {
        StoredAlert s = new StoredAlert(a.id, a.host, a.kind.name(), a.subject, a.severity.name(),
                a.since.toEpochMilli(), a.value, a.threshold, a.message, millis(a.notifyAt), millis(a.lastNotified),
                a.viaSummary, a.ack == null ? null : a.ack.user(), a.ack == null ? null : a.ack.time().toEpochMilli(),
                a.ack == null ? null : a.ack.comment(), a.heldBack);
        alerts.put(a.id, write(s));
    }

    void remove(String id) {
        alerts.remove(id);
    }

    List<AlertState> alerts() {
        List<AlertState> list = new ArrayList<>();
        for (String json : alerts.values()) {
            StoredAlert s = read(json, StoredAlert.class);
            AlertState a = new AlertState(s.id(), s.host(), Alert.Kind.valueOf(s.kind()), s.subject());
            a.severity = Severity.valueOf(s.severity());
            a.since = Instant.ofEpochMilli(s.since());
            a.value = s.value();
            a.threshold = s.threshold();
            a.message = s.message();
            a.notifyAt = instant(s.notifyAt());
            a.lastNotified = instant(s.lastNotified());
            a.viaSummary = s.viaSummary();
            a.ack = s.ackUser() == null ? null
                    : new Acknowledgement(s.ackUser(), Instant.ofEpochMilli(s.ackTime()), s.ackComment());
            a.heldBack = s.heldBack();
            list.add(a);
        }
        return list;
    }

    // ---- silences ----------------------------------------------------------------------------------------------

    record StoredSilence(String id, String host, long from, long until, String user, String reason) {
    }

    void save(Silence s) {
        silences.put(s.id(), write(new StoredSilence(s.id(), s.host().orElse(null), s.from().toEpochMilli(),
                s.until().toEpochMilli(), s.user(), s.reason())));
    }

    void removeSilence(String id) {
        silences.remove(id);
    }

    List<Silence> silences() {
        List<Silence> list = new ArrayList<>();
        for (String json : silences.values()) {
            StoredSilence s = read(json, StoredSilence.class);
            list.add(new Silence(s.id(), Optional.ofNullable(s.host()), Instant.ofEpochMilli(s.from()),
                    Instant.ofEpochMilli(s.until()), s.user(), s.reason()));
        }
        return list;
    }

    // ---- history ------------------------------------------------------------------------------------------------

    record StoredRecord(long time, String alertId, String host, String kind, String severity, String step,
            String text, String user) {
    }

    /** Appends a record and drops the oldest beyond {@code keep}; returns its id. */
    long record(AlertRecord r, int keep) {
        Long last = history.lastKey();
        long id = last == null ? 1 : last + 1;
        history.put(id, write(new StoredRecord(r.time().toEpochMilli(), r.alertId(), r.host(), r.kind().name(),
                r.severity().name(), r.step(), r.text(), r.user())));
        while (history.size() > keep) {
            history.remove(history.firstKey());
        }
        return id;
    }

    /** Newest first, of one host or of all (host null). */
    List<AlertRecord> history(String host, int limit) {
        List<AlertRecord> out = new ArrayList<>();
        Long key = history.lastKey();
        while (key != null && out.size() < limit) {
            StoredRecord s = read(history.get(key), StoredRecord.class);
            if (host == null || host.equals(s.host())) {
                out.add(new AlertRecord(key, Instant.ofEpochMilli(s.time()), s.alertId(), s.host(),
                        Alert.Kind.valueOf(s.kind()), Severity.valueOf(s.severity()), s.step(), s.text(), s.user()));
            }
            key = history.lowerKey(key);
        }
        return out;
    }

    // ---- meta --------------------------------------------------------------------------------------------------

    /** The id of the last host event handled; -1 when none. */
    long cursor() {
        return meta.getOrDefault("cursor", -1L);
    }

    void cursor(long id) {
        meta.put("cursor", id);
    }

    /** When hbd was last known alive; empty the first time. */
    Optional<Instant> lastAlive() {
        Long t = meta.get("alive");
        return t == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t));
    }

    void alive(Instant now) {
        meta.put("alive", now.toEpochMilli());
    }

    void commit() {
        store.commit();
    }

    @Override
    public void close() {
        store.close();
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(Long t) {
        return t == null ? null : Instant.ofEpochMilli(t);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged alerting record: " + e.getOriginalMessage(), e);
        }
    }
}
