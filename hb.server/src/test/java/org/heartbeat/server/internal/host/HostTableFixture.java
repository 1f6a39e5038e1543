package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.event.HostEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.core.ConditionFactory;
import org.heartbeat.protocol.Heartbeat;

/**
 * A {@link HostTable} on a {@link ManualTicker}, with the events and timer errors it produced and helpers
 * to feed it heartbeats.
 */
final class HostTableFixture implements AutoCloseable {
    static final InetSocketAddress ADDRESS = address("192.0.2.10", 40000);
    static final Duration QUIET_PERIOD = Duration.ofMillis(150);

    final ManualTicker ticker;
    final List<HostEvent> events = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong nextEventId = new java.util.concurrent.atomic.AtomicLong();
    final List<RuntimeException> errors = new CopyOnWriteArrayList<>();
    final HostTable table;
    private long nextSeq = 1_764_115_200_000_000L;

    HostTableFixture(HostTable.Settings settings) {
        this(settings, new ManualTicker());
    }

    HostTableFixture(HostTable.Settings settings, ManualTicker ticker) {
        this.ticker = ticker;
        this.table = new HostTable(settings, ticker, event -> {
            HostEvent e = event.id(nextEventId.incrementAndGet()).build();
            events.add(e);
            return e;
        }, errors::add);
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    long nextSeq() {
        return nextSeq++;
    }

    long now() {
        return ticker.wallMillis();
    }

    Heartbeat heartbeat(String host, long seq, long announcedIntervalMillis) {
        return Heartbeat.of(host, seq, now(), announcedIntervalMillis);
    }

    Heartbeat heartbeatWithRtt(String host, long rttMicros) {
        return new Heartbeat(host, nextSeq(), now(), 0, rttMicros, 0, false, 0);
    }

    Heartbeat heartbeatReportingDone(String host, long seq, long commandsDone) {
        return new Heartbeat(host, seq, now(), 0, -1, commandsDone, false, 0);
    }

    Heartbeat boot(String host, long bootTimeMillis) {
        return new Heartbeat(host, nextSeq(), now(), 0, -1, 0, true, bootTimeMillis);
    }

    /** An unsigned heartbeat from {@link #ADDRESS} with the next sequence number and no announced interval. */
    HostTable.Outcome beat(String host) {
        return beat(heartbeat(host, nextSeq(), 0));
    }

    HostTable.Outcome beat(String host, long announcedIntervalMillis) {
        return beat(heartbeat(host, nextSeq(), announcedIntervalMillis));
    }

    HostTable.Outcome beat(Heartbeat hb) {
        return table.heartbeat(hb, ADDRESS, false);
    }

    HostTable.Outcome signed(String host, long seq) {
        return signed(host, seq, ADDRESS);
    }

    HostTable.Outcome signed(String host, long seq, InetSocketAddress from) {
        return table.heartbeat(heartbeat(host, seq, 0), from, true);
    }

    HostTable.Outcome unsigned(String host, long seq, InetSocketAddress from) {
        return table.heartbeat(heartbeat(host, seq, 0), from, false);
    }

    /** Restores hosts as after a clean stop. */
    void restore(List<HostSnapshot> hosts) {
        table.restore(HostSnapshot.saved(hosts), false);
    }

    /** Moves the clock and makes the deadline timer look at it. */
    void advance(Duration d) {
        ticker.advance(d);
        table.poke();
    }

    HostSnapshot host(String name) {
        return HostSnapshot.of(table, name).orElseThrow(() -> new AssertionError(name + " is not tracked"));
    }

    List<HostEvent> events(HostEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    List<HostEvent> events(HostEvent.Type type, String host) {
        return events.stream().filter(e -> e.type() == type && e.host().equals(host)).toList();
    }

    /** Waits for the first event of this type for this host. */
    HostEvent awaitEvent(HostEvent.Type type, String host) {
        soon().until(() -> !events(type, host).isEmpty());
        return events(type, host).get(0);
    }

    /** Waits until there are {@code count} events of this type for this host, and returns the count-th. */
    HostEvent awaitEvents(HostEvent.Type type, String host, int count) {
        soon().until(() -> events(type, host).size() >= count);
        return events(type, host).get(count - 1);
    }

    /** Checks that for a while no further event of this type arrives for this host. */
    void assertNoNewEvents(HostEvent.Type type, String host) {
        int before = events(type, host).size();
        await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.plusSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> events(type, host).size() == before);
    }

    /** Closes the table, then fails if its deadline timer reported any error. */
    @Override
    public void close() {
        table.close();
        assertThat(errors).as("errors reported by the deadline timer").isEmpty();
    }
}
