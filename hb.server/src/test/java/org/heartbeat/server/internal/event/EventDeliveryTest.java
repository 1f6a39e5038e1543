package org.heartbeat.server.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.heartbeat.server.internal.Components;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventDeliveryTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private JournalService journal;
    private EventDelivery delivery;

    @BeforeEach
    void start() {
        journal = new JournalService(Components.config(EventsSettings.class, Map.of("dir", dir.toString())),
                log.logger);
        delivery = new EventDelivery(journal, log.logger);
    }

    @AfterEach
    void stop() {
        delivery.deactivate();
        journal.deactivate();
    }

    private HostEvent post(String host) {
        return journal.journal().append(HostEvent.builder(HostEvent.Type.NEW, host).time(Instant.now())
                .message("new host " + host));
    }

    /** A listener that records what it gets. */
    private static class Recorder implements HostEventListener {
        final List<HostEvent> got = new CopyOnWriteArrayList<>();

        @Override
        public void hostEvent(HostEvent event) throws Exception {
            got.add(event);
        }
    }

    private static Map<String, Object> named(String name) {
        return Map.of(HostEventListener.NAME, name);
    }

    @Test
    void everyListenerGetsEveryEventInOrder() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        delivery.addListener(a, named("a"));
        delivery.addListener(b, named("b"));
        List<HostEvent> posted = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            posted.add(post("h" + i));
        }

        await().atMost(SOON).until(() -> a.got.size() == 500 && b.got.size() == 500);
        assertThat(a.got).containsExactlyElementsOf(posted);
        assertThat(b.got).containsExactlyElementsOf(posted);
    }

    @Test
    void aListenerBoundLaterGetsEventsFromThenOn() {
        post("before");
        await().atMost(SOON).until(() -> journal.journal().durableId() == journal.journal().lastId());
        Recorder late = new Recorder();
        delivery.addListener(late, named("late"));
        HostEvent after = post("after");

        await().atMost(SOON).until(() -> late.got.size() == 1);
        assertThat(late.got).containsExactly(after);
    }

    @Test
    void aBlockedListenerHoldsUpNobodyElseAndIsReportedAsStalled() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<HostEvent> blockedGot = new CopyOnWriteArrayList<>();
        HostEventListener blocked = event -> {
            blockedGot.add(event);
            release.await();
        };
        Recorder quick = new Recorder();
        delivery.addListener(blocked, named("blocked"));
        delivery.addListener(quick, named("quick"));

        for (int i = 0; i < 100; i++) {
            post("h" + i);
        }

        await().atMost(SOON).until(() -> quick.got.size() == 100);
        ListenerStatus stuck = delivery.status().stream().filter(s -> s.name().equals("blocked")).findFirst()
                .orElseThrow();
        assertThat(stuck.behind()).isEqualTo(100);
        assertThat(stuck.busySince()).isPresent();
        assertThat(blockedGot).hasSize(1);

        release.countDown();
        await().atMost(SOON).until(() -> blockedGot.size() == 100);
    }

    @Test
    void aListenerThatThrowsGetsTheNextEventsAndTheFailuresAreCounted() {
        List<HostEvent> got = new CopyOnWriteArrayList<>();
        HostEventListener flaky = event -> {
            got.add(event);
            if (event.host().startsWith("bad")) {
                throw new IllegalStateException("cannot handle " + event.host());
            }
        };
        delivery.addListener(flaky, named("flaky"));
        post("bad1");
        post("good");
        post("bad2");

        await().atMost(SOON).until(() -> got.size() == 3);
        await().atMost(SOON).until(() -> delivery.status().get(0).failures() == 2);
        assertThat(log.lines).anyMatch(l -> l.contains("flaky") && l.contains("cannot handle bad1"));
    }

    @Test
    void aListenerFarBehindCatchesUpFromTheFilesWithNothingLost() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<HostEvent> got = new CopyOnWriteArrayList<>();
        HostEventListener slow = event -> {
            release.await();
            got.add(event);
        };
        delivery.addListener(slow, named("slow"));
        int count = Journal.RING * 2 + 10;
        List<HostEvent> posted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            posted.add(post("h" + i));
        }
        await().atMost(SOON).until(() -> journal.journal().durableId() == posted.get(count - 1).id());

        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == count);
        assertThat(got).containsExactlyElementsOf(posted);
    }

    @Test
    void aListenerThatResumesGetsWhatItMissedFromTheJournal() {
        HostEvent seen = post("seen");
        HostEvent missed1 = post("missed1");
        HostEvent missed2 = post("missed2");
        await().atMost(SOON).until(() -> journal.journal().durableId() == missed2.id());
        Recorder resuming = new Recorder() {
            @Override
            public long resumeAfter() {
                return seen.id();
            }
        };

        delivery.addListener(resuming, named("resuming"));

        await().atMost(SOON).until(() -> resuming.got.size() == 2);
        assertThat(resuming.got).containsExactly(missed1, missed2);
    }

    /**
     * A listener that resumes after an event of an earlier journal: the directory was emptied, or held no event when
     * hbd stopped, so this journal began at a later id (the time in microseconds) and nothing lies between. It used to
     * ask for that gap again and again, one core busy for good; now it goes on from the journal's start, says so, and
     * waits for new events like the others.
     */
    @Test
    void aListenerThatResumesBeforeTheJournalBeganWaitsForNewEventsWithoutSpinning() {
        long before = journal.journal().durableId() - 5_000_000_000L;
        Recorder resuming = new Recorder() {
            @Override
            public long resumeAfter() {
                return before;
            }
        };

        delivery.addListener(resuming, named("resuming"));
        long cpuBefore = cpuNanos("hbd-events-resuming");
        await().during(Duration.ofMillis(500)).atMost(SOON).until(() -> true);
        long busy = cpuNanos("hbd-events-resuming") - cpuBefore;

        assertThat(busy).as("CPU of the listener's thread in half a second with nothing to deliver, ns")
                .isLessThan(100_000_000L);
        assertThat(log.lines).anyMatch(l -> l.startsWith("INFO") && l.contains("holds no events") && l.contains("resuming"));
        HostEvent next = post("next");
        await().atMost(SOON).until(() -> resuming.got.size() == 1);
        assertThat(resuming.got).containsExactly(next);
    }

    /** The CPU time a live thread of this name has used, ns. */
    private static long cpuNanos(String threadName) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Thread t = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals(threadName))
                .findFirst().orElseThrow();
        return threads.getThreadCpuTime(t.getId());
    }

    @Test
    void anUnboundListenerGetsNothingMoreAndItsThreadEnds() {
        Recorder r = new Recorder();
        delivery.addListener(r, named("gone"));
        post("one");
        await().atMost(SOON).until(() -> r.got.size() == 1);

        delivery.removeListener(r);
        post("two");

        assertThat(delivery.status()).isEmpty();
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> r.got.size() == 1);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hbd-events-gone"));
    }
}
