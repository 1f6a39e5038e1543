package org.heartbeat.server.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(T0.toEpochMilli());
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Journal> open = new ArrayList<>();

    private Journal open(Duration retention, long maxBytes) {
        Journal j = Journal.open(new Journal.Settings(dir.resolve("events"), retention, maxBytes), clock::get,
                (message, e) -> errors.add(message));
        open.add(j);
        return j;
    }

    private Journal open() {
        return open(Duration.ofDays(90), 256L * 1024 * 1024);
    }

    @AfterEach
    void close() {
        open.forEach(Journal::close);
    }

    private static HostEvent.Builder overdue(String host, Instant at) {
        return HostEvent.builder(HostEvent.Type.OVERDUE, host).time(at).statusBefore(HostStatus.UP)
                .statusAfter(HostStatus.OVERDUE).deadline(at.minusSeconds(1)).overdueSince(at.minusSeconds(1))
                .lastSeen(at.minusSeconds(23)).interval(Duration.ofSeconds(20)).grace(Duration.ofSeconds(2))
                .message(host + " is overdue");
    }

    private static HostEvent.Builder boot(String host, Instant at) {
        return HostEvent.builder(HostEvent.Type.BOOT, host).time(at).statusAfter(HostStatus.UP)
                .address(new InetSocketAddress("2001:db8::7", 40000)).bootTime(at.minusSeconds(30))
                .message(host + " booted");
    }

    @Test
    void aNewJournalStartsItsIdsAtTheTimeInMicroseconds() {
        Journal j = open();
        HostEvent e = j.append(overdue("web1", T0));
        assertThat(e.id()).isEqualTo(T0.toEpochMilli() * 1000);
        assertThat(j.append(overdue("web2", T0)).id()).isEqualTo(e.id() + 1);
    }

    @Test
    void eventsBecomeDurableAndReadBackWithEveryFact() throws InterruptedException {
        Journal j = open();
        HostEvent written = j.append(boot("web1", T0));
        assertThat(j.awaitDurable(written.id(), 5000)).isTrue();

        List<HostEvent> read = j.read(EventQuery.builder().build());

        assertThat(read).containsExactly(written);
        assertThat(read.get(0).address()).contains(new InetSocketAddress("2001:db8::7", 40000));
        assertThat(errors).isEmpty();
    }

    @Test
    void reopeningContinuesTheIdsAndKeepsTheEvents() throws InterruptedException {
        Journal first = open();
        HostEvent a = first.append(overdue("web1", T0));
        HostEvent b = first.append(boot("web2", T0.plusSeconds(1)));
        first.close();

        Journal second = open();
        HostEvent c = second.append(overdue("web3", T0.plusSeconds(2)));
        second.awaitDurable(c.id(), 5000);

        assertThat(c.id()).isEqualTo(b.id() + 1);
        assertThat(second.read(EventQuery.builder().build())).containsExactly(a, b, c);
    }

    @Test
    void aTornLastRecordIsCutOffAndTheRestIsKept() throws IOException, InterruptedException {
        Journal first = open();
        HostEvent a = first.append(overdue("web1", T0));
        HostEvent b = first.append(overdue("web2", T0));
        first.close();
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 5); // a crash in the middle of writing b
        }

        Journal second = open();

        assertThat(second.read(EventQuery.builder().build())).containsExactly(a);
        HostEvent c = second.append(overdue("web3", T0));
        second.awaitDurable(c.id(), 5000);
        assertThat(c.id()).isEqualTo(b.id()); // b never became durable, so its id is given again
        assertThat(second.read(EventQuery.builder().build())).containsExactly(a, c);
    }

    @Test
    void queriesFilterByHostTimeTypeAndId() throws InterruptedException {
        Journal j = open();
        HostEvent a = j.append(overdue("web1", T0));
        HostEvent b = j.append(boot("web2", T0.plusSeconds(10)));
        HostEvent c = j.append(overdue("web1", T0.plusSeconds(20)));
        j.awaitDurable(c.id(), 5000);

        assertThat(j.read(EventQuery.builder().host("web1").build())).containsExactly(a, c);
        assertThat(j.read(EventQuery.builder().since(T0.plusSeconds(10)).build())).containsExactly(b, c);
        assertThat(j.read(EventQuery.builder().until(T0.plusSeconds(10)).build())).containsExactly(a);
        assertThat(j.read(EventQuery.builder().types(HostEvent.Type.BOOT).build())).containsExactly(b);
        assertThat(j.read(EventQuery.builder().after(a.id()).limit(1).build())).containsExactly(b);
    }

    @Test
    void eventsAfterComeFromMemoryWhenRecentAndFromTheFilesWhenNot() throws InterruptedException {
        Journal j = open();
        List<HostEvent> all = new ArrayList<>();
        for (int i = 0; i < Journal.RING + 100; i++) {
            all.add(j.append(overdue("h" + i, T0.plusMillis(i))));
        }
        j.awaitDurable(all.get(all.size() - 1).id(), 10_000);

        long first = all.get(0).id();
        assertThat(j.eventsAfter(first - 1, 50, 0)).containsExactlyElementsOf(all.subList(0, 50));
        assertThat(j.eventsAfter(all.get(all.size() - 11).id(), 50, 0))
                .containsExactlyElementsOf(all.subList(all.size() - 10, all.size()));
        assertThat(j.eventsAfter(all.get(all.size() - 1).id(), 50, 0)).isEmpty();
    }

    @Test
    void eventsAfterAGapInTheIdsComeAfterIt() throws InterruptedException, IOException {
        Journal before = open();
        HostEvent old = before.append(overdue("web1", T0));
        before.awaitDurable(old.id(), 10_000);
        before.close();
        try (Stream<Path> files = Files.list(dir.resolve("events"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        clock.set(T0.plus(Duration.ofDays(1)).toEpochMilli());
        Journal j = open(); // begins anew, at the time in microseconds
        List<HostEvent> later = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            later.add(j.append(overdue("h" + i, T0.plus(Duration.ofDays(1)).plusMillis(i))));
        }
        j.awaitDurable(later.get(99).id(), 10_000);
        assertThat(later.get(0).id() - old.id()).as("the gap").isGreaterThan(1_000_000);

        assertThat(j.eventsAfter(old.id(), 50, 0)).as("a reader still at the old journal's event")
                .containsExactlyElementsOf(later.subList(0, 50));
    }

    @Test
    void oldSegmentsGoWhenPastTheRetention() throws InterruptedException, IOException {
        Journal j = open(Duration.ofDays(1), 64 * 1024 * 8);
        HostEvent last = null;
        for (int i = 0; i < 3000; i++) { // several 64 KB segments
            last = j.append(overdue("host-" + i, T0.plusSeconds(i)));
        }
        j.awaitDurable(last.id(), 10_000);
        assertThat(segments()).hasSizeGreaterThan(2);
        long kept = segments().size();

        clock.set(T0.plus(Duration.ofDays(3)).toEpochMilli());
        j.applyRetentionNow();

        assertThat(segments()).hasSizeLessThan((int) kept).isNotEmpty();
        List<HostEvent> left = j.read(EventQuery.builder().limit(EventQuery.MAX_LIMIT).build());
        assertThat(left).isNotEmpty().last().isEqualTo(last);
    }

    @Test
    void theOldestSegmentsGoWhenTheJournalIsTooBig() throws InterruptedException, IOException {
        long maxBytes = 256 * 1024;
        Journal j = open(Duration.ofDays(90), maxBytes);
        HostEvent last = null;
        for (int i = 0; i < 6000; i++) {
            last = j.append(overdue("host-" + i, T0.plusSeconds(i)));
        }
        j.awaitDurable(last.id(), 10_000);

        j.applyRetentionNow();

        assertThat(j.bytes()).isLessThanOrEqualTo(maxBytes + j.bytes() / segments().size());
        assertThat(j.read(EventQuery.builder().after(last.id() - 1).build())).containsExactly(last);
    }

    @Test
    void aJournalThatCannotWriteStillHandsEventsOn() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("events"), "a file where the directory should be");
        Journal j = open();

        HostEvent e = j.append(overdue("web1", T0));

        assertThat(j.awaitDurable(e.id(), 5000)).isTrue();
        assertThat(j.eventsAfter(e.id() - 1, 10, 0)).containsExactly(e);
        assertThat(errors).isNotEmpty();
        assertThat(j.problem()).contains("event journal");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("events"))) {
            return s.filter(p -> p.toString().endsWith(".events")).sorted().toList();
        }
    }
}
