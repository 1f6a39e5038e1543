package org.heartbeat.server.internal.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.server.internal.util.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Who watches the watcher: sends this {@code hbd}'s own heartbeats to the {@code hbd}s in {@code peers:}, every
 * {@code peer_interval} seconds, under {@code peer_name} (the machine's name by default), signed with
 * {@code peer_key} when one is set. Each peer tracks this one as a host like any other and notifies its owner when
 * it goes silent; configured both ways, a pair watch each other. Sequence numbers start at the current time in
 * microseconds, as every Heartbeat client's do (docs/PROTOCOL.md, 8.3), so a restart is never taken for a replay.
 * ACKs are not read: a peer's RTT is of no use here.
 */
@Component(service = {}, configurationPid = PeerSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PeerSettings.class)
public final class PeerBeacon {
    private final Logger log;
    private final RateLimitedLog problems;
    private final List<String> peers;
    private final String name;
    private final long intervalMillis;
    private final HostKey key;
    private final AtomicLong seq;
    private final DatagramChannel channel;
    private final ScheduledExecutorService timer;

    @Activate
    public PeerBeacon(PeerSettings settings, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this(settings, log, Clock.systemUTC());
    }

    PeerBeacon(PeerSettings settings, Logger log, Clock clock) throws IOException {
        this.log = log;
        this.problems = new RateLimitedLog(300_000, log::warn);
        this.peers = List.of(settings.peers());
        this.name = settings.name();
        this.intervalMillis = Math.max(1000, Math.round(settings.interval() * 1000));
        this.key = settings._key().isEmpty() ? null : HostKey.parse(settings._key());
        Instant now = clock.instant();
        this.seq = new AtomicLong(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        this.channel = DatagramChannel.open();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbd-peers");
            t.setDaemon(true);
            return t;
        });
        if (!peers.isEmpty()) {
            timer.scheduleAtFixedRate(this::beat, 0, intervalMillis, TimeUnit.MILLISECONDS);
            log.info("heartbeats as {} every {} s to peers {}{}", name, intervalMillis / 1000.0, peers,
                    key == null ? "" : " (signed)");
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        timer.shutdownNow();
        channel.close();
    }

    private void beat() {
        for (String peer : peers) {
            try {
                Heartbeat hb = new Heartbeat(name, seq.getAndIncrement(), System.currentTimeMillis(), intervalMillis,
                        -1, 0, false, 0);
                channel.send(ByteBuffer.wrap(Datagrams.encode(hb, key)), address(peer));
            } catch (IOException | RuntimeException e) {
                problems.log("peer " + peer, System.currentTimeMillis(), "cannot send a heartbeat to peer {}: {}",
                        peer, e.toString());
            }
        }
    }

    /** Resolves {@code host:port} (or {@code [v6]:port}) each time, so a peer that moves is followed. */
    static InetSocketAddress address(String peer) {
        int colon = peer.lastIndexOf(':');
        String host = peer.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(peer.substring(colon + 1)));
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + host);
        }
        return a;
    }
}
