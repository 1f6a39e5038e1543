package org.heartbeat.server.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.notify.OutboxEntry.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules without threads: what is due, what the limit does, what a killed process leaves. */
class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    private final Components.RecordingLogger log = new Components.RecordingLogger();

    private static Notification n(String title) {
        return Notification.builder().id("ntf-" + title.hashCode()).event(Notification.HOST_OVERDUE)
                .severity(Severity.WARNING).host("web1").title(title).body("body of " + title)
                .link(URI.create("http://hbd.example/hosts/web1")).time(T0).build();
    }

    @Test
    void anEntrySurvivesTheStoreAsItWas() throws IOException {
        StoredEntry e = new StoredEntry(7, "ops", n("web1 is overdue"), State.PENDING, 2, T0, T0.plusSeconds(1),
                T0.plusSeconds(30), null, "HTTP 503", 0, false);
        StoredEntry back = EntryCodec.decode(EntryCodec.encode(e));
        assertThat(back).usingRecursiveComparison().ignoringFields("notification").isEqualTo(e);
        assertThat(back.notification().text()).isEqualTo(e.notification().text());
        assertThat(back.notification().id()).isEqualTo(e.notification().id());
        assertThat(back.notification().host()).contains("web1");
    }

    @Test
    void anEntryInFlightWhenTheProcessDiesIsSentAgainAfterTheRestart() throws IOException {
        Path file = dir.resolve("outbox.db");
        OutboxStore store = OutboxStore.open(file);
        Ledger ledger = new Ledger(store, Backoff.DEFAULT, log.logger);
        StoredEntry e = ledger.enqueue("ops", n("web1 is overdue"), T0);
        Ledger.Decision d = ledger.next("ops", 0, T0);
        assertThat(d.send()).isEqualTo(e);
        assertThat(ledger.next("ops", 0, T0)).as("one at a time").isEqualTo(Ledger.Decision.IDLE);
        // the service took it, and the process died before the outcome was recorded: the duplicate window
        store.crash();

        OutboxStore reopened = OutboxStore.open(file);
        Ledger after = new Ledger(reopened, Backoff.DEFAULT, log.logger);
        assertThat(after.next("ops", 0, T0).send()).extracting(StoredEntry::seq, StoredEntry::attempts)
                .containsExactly(e.seq(), 0);
        after.record(e, Delivery.delivered(), T0, DAY);
        reopened.crash();

        Ledger third = new Ledger(OutboxStore.open(file), Backoff.DEFAULT, log.logger);
        assertThat(third.entry(e.id()).orElseThrow().state()).isEqualTo(State.DELIVERED);
        assertThat(third.next("ops", 0, T0)).isEqualTo(Ledger.Decision.IDLE);
    }

    @Test
    void theHeadWaitingForItsRetryHoldsBackTheEntriesBehindIt() {
        Ledger ledger = new Ledger(OutboxStore.inMemory(), Backoff.DEFAULT, log.logger);
        StoredEntry overdue = ledger.enqueue("ops", n("web1 is overdue"), T0);
        ledger.enqueue("ops", n("web1 recovered"), T0);
        ledger.record(ledger.next("ops", 0, T0).send(), Delivery.retry("HTTP 503"), T0, DAY);

        Ledger.Decision d = ledger.next("ops", 0, T0);
        assertThat(d.send()).isNull();
        assertThat(d.wakeAt()).isEqualTo(ledger.entry(overdue.id()).orElseThrow().nextAttempt().orElseThrow());
        assertThat(ledger.next("sms", 0, T0)).as("other channels are not held").isEqualTo(Ledger.Decision.IDLE);
        assertThat(ledger.next("ops", 0, d.wakeAt()).send().seq()).isEqualTo(overdue.seq());
    }

    @Test
    void aFullHourWaitsUntilItsOldestDeliveryIsAnHourOld() {
        Ledger ledger = new Ledger(OutboxStore.inMemory(), Backoff.DEFAULT, log.logger);
        for (int i = 0; i < 2; i++) {
            ledger.enqueue("sms", n("a" + i), T0);
            Instant at = T0.plusSeconds(60 * i);
            ledger.record(ledger.next("sms", 2, at).send(), Delivery.delivered(), at, DAY);
        }
        StoredEntry held = ledger.enqueue("sms", n("late"), T0.plusSeconds(120));
        Ledger.Decision d = ledger.next("sms", 2, T0.plusSeconds(120));
        assertThat(d.send()).isNull();
        assertThat(d.wakeAt()).isEqualTo(T0.plus(Ledger.HOUR));
        StoredEntry summarised = ledger.entry(held.id()).orElseThrow();
        assertThat(summarised.state()).isEqualTo(State.SUMMARISED);
        StoredEntry summary = ledger.entry(Long.toString(summarised.heldIn())).orElseThrow();
        assertThat(summary.summary()).isTrue();
        assertThat(summary.notification().event()).isEqualTo(Notification.SUMMARY);

        assertThat(ledger.next("sms", 2, T0.plus(Ledger.HOUR)).send().seq()).isEqualTo(summary.seq());
    }

    @Test
    void summarisedEntriesArePrunedOnlyOnceTheirSummaryIsDone() {
        Ledger ledger = new Ledger(OutboxStore.inMemory(), Backoff.DEFAULT, log.logger);
        ledger.enqueue("sms", n("a"), T0);
        ledger.enqueue("sms", n("b"), T0);
        StoredEntry summary = ledger.next("sms", 1, T0).send();
        assertThat(summary.summary()).isTrue();
        assertThat(ledger.entries(State.SUMMARISED, 10)).hasSize(2);
        ledger.record(summary, Delivery.retry("HTTP 503"), T0, DAY);

        Instant later = T0.plus(Duration.ofHours(2));
        assertThat(ledger.prune(later, Duration.ofHours(1))).isZero();
        ledger.record(ledger.next("sms", 1, later).send(), Delivery.delivered(), later, DAY);
        assertThat(ledger.prune(later.plus(Duration.ofHours(1)), Duration.ofHours(1))).isEqualTo(3);
        assertThat(ledger.entries(null, 10)).isEmpty();
    }

    @Test
    void aFailedWriteKeepsTheOutboxGoingInMemoryAndSaysSo() {
        OutboxStore broken = new OutboxStore(new org.h2.mvstore.MVStore.Builder().open(), dir.resolve("x.db")) {
            @Override
            void commit() {
                throw new IllegalStateException("No space left on device");
            }
        };
        Ledger ledger = new Ledger(broken, Backoff.DEFAULT, log.logger);
        StoredEntry e = ledger.enqueue("ops", n("web1 is overdue"), T0);
        assertThat(ledger.entry(e.id())).isPresent();
        assertThat(ledger.problem()).contains("No space left on device");
        assertThat(log.lines).anyMatch(l -> l.startsWith("ERROR") && l.contains("in memory only"));
        ledger.record(ledger.next("ops", 0, T0).send(), Delivery.delivered(), T0, DAY);
        assertThat(ledger.entries(State.DELIVERED, 10)).extracting(StoredEntry::seq).containsExactly(e.seq());
        assertThat(ledger.failUnconfigured(Set.of(), T0)).isZero();
        assertThat(List.of(log.lines.stream().filter(l -> l.startsWith("ERROR")).count())).containsExactly(1L);
    }
}
