package org.heartbeat.server.live.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class ConnectionTest {
    /** A client whose sends complete only when the test says so. */
    static final class SlowSink implements Connection.Sink {
        final List<String> sent = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        @Override
        public void send(String text, Consumer<Throwable> done) {
            sent.add(text);
            pending.add(done);
        }

        void complete() {
            pending.remove(0).accept(null);
        }
    }

    /** A client that takes every message at once (Jetty calls back on the sending thread). */
    static final class FastSink implements Connection.Sink {
        final List<String> sent = new ArrayList<>();

        @Override
        public void send(String text, Consumer<Throwable> done) {
            sent.add(text);
            done.accept(null);
        }
    }

    private static List<Views.Update> updates(String... hosts) {
        List<Views.Update> u = new ArrayList<>();
        for (String h : hosts) {
            u.add(Views.HostRemoved.of(h));
        }
        return u;
    }

    @Test
    void theFirstMessageIsASnapshotAndBatchesFollowInOrder() {
        FastSink sink = new FastSink();
        AtomicInteger snapshots = new AtomicInteger();
        Connection c = new Connection(sink, () -> "snapshot" + snapshots.incrementAndGet(), null, 4, x -> { });
        c.start();
        c.offer(updates("a"), "batch1");
        c.offer(updates("b"), "batch2");
        assertThat(sink.sent).containsExactly("snapshot1", "batch1", "batch2");
        assertThat(c.resnapshots()).isZero();
    }

    @Test
    void oneMessageIsInFlightAtATimeAndTheRestWaits() {
        SlowSink sink = new SlowSink();
        Connection c = new Connection(sink, () -> "snapshot", null, 4, x -> { });
        c.start();
        c.offer(updates("a"), "batch1");
        c.offer(updates("a"), "batch2");
        assertThat(sink.sent).containsExactly("snapshot");
        assertThat(c.queued()).isEqualTo(2);
        sink.complete();
        assertThat(sink.sent).containsExactly("snapshot", "batch1");
        sink.complete();
        sink.complete();
        assertThat(sink.sent).containsExactly("snapshot", "batch1", "batch2");
        assertThat(c.queued()).isZero();
    }

    @Test
    void aSlowClientsFullQueueIsDroppedForAFreshSnapshotAndOthersAreNotHeldBack() {
        SlowSink slow = new SlowSink();
        FastSink fast = new FastSink();
        AtomicInteger snapshots = new AtomicInteger();
        Connection stuck = new Connection(slow, () -> "snapshot" + snapshots.incrementAndGet(), null, 3, x -> { });
        Connection quick = new Connection(fast, () -> "snapshot", null, 3, x -> { });
        stuck.start();
        quick.start();
        for (int i = 1; i <= 10; i++) {
            stuck.offer(updates("a"), "batch" + i);
            quick.offer(updates("a"), "batch" + i);
        }
        assertThat(fast.sent).hasSize(11).endsWith("batch10");
        // 3 queued, the 4th overflowed: the queue went, a snapshot is due, later batches are older than it
        assertThat(stuck.resnapshots()).isEqualTo(1);
        assertThat(stuck.queued()).isZero();
        slow.complete();
        assertThat(slow.sent).containsExactly("snapshot1", "snapshot2");
        slow.complete();
        stuck.offer(updates("a"), "batch11");
        assertThat(slow.sent).containsExactly("snapshot1", "snapshot2", "batch11");
    }

    @Test
    void aConnectionSeesOnlyTheHostsItMayAndNothingWhenNoneOfABatchIsItsOwn() {
        FastSink sink = new FastSink();
        Connection c = new Connection(sink, () -> "snapshot", h -> h.equals("mine"), 4, x -> { });
        c.start();
        c.offer(updates("theirs"), "shared");
        c.offer(updates("mine", "theirs"), "shared");
        assertThat(sink.sent).containsExactly("snapshot",
                "{\"type\":\"batch\",\"events\":[{\"type\":\"host_removed\",\"name\":\"mine\"}]}");
    }

    @Test
    void aFailedSendClosesTheConnectionOnceAndNothingMoreIsSent() {
        List<Connection> closed = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        Connection c = new Connection((text, done) -> {
            sent.add(text);
            done.accept(new java.io.IOException("broken pipe"));
        }, () -> "snapshot", null, 4, closed::add);
        c.start();
        c.offer(updates("a"), "batch1");
        c.close();
        assertThat(sent).containsExactly("snapshot");
        assertThat(closed).containsExactly(c);
        assertThat(c.isClosed()).isTrue();
    }
}
