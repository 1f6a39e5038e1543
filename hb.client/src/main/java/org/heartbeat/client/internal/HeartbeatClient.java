package org.heartbeat.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.MalformedDatagramException;
import org.heartbeat.protocol.Message;
import org.heartbeat.protocol.PluginError;
import org.heartbeat.protocol.Protocol;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Sends heartbeats to every configured server (docs/PROTOCOL.md, section 10): the first at once, the
 * second after a random part of the interval so that a fleet started together spreads out, then one
 * every interval. Measures round trips from the servers' ACKs, executes the commands they carry, looks a
 * server's name up again when it stops answering, and sends plugin samples for the plugin scheduler.
 */
@Component(service = HeartbeatClient.class, immediate = true, configurationPid = ClientSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ClientSettings.class)
public final class HeartbeatClient implements PluginSink {
    /** A server that has not answered this many heartbeats in a row is reported and looked up again. */
    static final int UNANSWERED_LIMIT = 3;

    private final Logger log;
    private final String name;
    private final HostKey key;
    private final List<ServerLink> links = new ArrayList<>();
    private final DatagramChannel channel;
    private final ScheduledExecutorService executor;
    private final Thread receiver;
    private final AtomicLong seq;
    private volatile long intervalMillis;
    private volatile boolean bootPending;
    private volatile boolean closed;
    private ScheduledFuture<?> beats;

    @Activate
    public HeartbeatClient(ClientSettings settings, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.log = log;
        this.name = settings.name();
        this.key = settings.keyFile().isEmpty() ? null : HostKey.read(Path.of(settings.keyFile()));
        for (String server : settings.servers()) {
            links.add(ServerLink.parse(server, settings.port()));
        }
        if (links.isEmpty()) {
            throw new IllegalArgumentException("no server to report to");
        }
        this.intervalMillis = Math.round(settings.interval() * 1000);
        this.bootPending = settings.boot();
        Instant now = Instant.now();
        this.seq = new AtomicLong(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        this.channel = DatagramChannel.open();
        channel.bind(null);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hbc-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receive, "hbc-ack");
        receiver.setDaemon(true);
        receiver.start();
        log.info("reporting as {} to {} every {}{}", name, links, seconds(intervalMillis),
                key == null ? "" : " (signed with key " + key.fingerprint() + ")");
        executor.execute(this::beat);
        long second = Math.max(1, (long) (intervalMillis * (0.5 + ThreadLocalRandom.current().nextDouble() / 2)));
        synchronized (this) {
            beats = executor.schedule(this::startRegularBeats, second, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void startRegularBeats() {
        if (closed) {
            return;
        }
        beat();
        beats = executor.scheduleAtFixedRate(this::beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Sends one heartbeat (or the boot message) to every server. */
    private void beat() {
        boolean boot = bootPending;
        for (ServerLink link : links) {
            try {
                send(link, boot);
            } catch (RuntimeException e) {
                log.error("cannot send heartbeat to {}", link, e);
            }
        }
        if (boot) {
            bootPending = false;
        }
    }

    private void send(ServerLink link, boolean boot) {
        if (link.unanswered() == UNANSWERED_LIMIT) {
            log.warn("server {} {}: no ACK for {} heartbeats; looking its name up again", link,
                    link.everAnswered() ? "stopped answering" : "does not answer", UNANSWERED_LIMIT);
            resolve(link);
        }
        InetSocketAddress to = link.address() != null ? link.address() : resolve(link);
        if (to == null) {
            return;
        }
        long s = seq.getAndIncrement();
        Heartbeat hb = new Heartbeat(name, s, System.currentTimeMillis(), intervalMillis, link.rttMicros(),
                link.commandsDone(), boot, boot ? BootTime.millis() : 0);
        byte[] datagram = Datagrams.encode(hb, key);
        try {
            link.sent(s, System.nanoTime());
            channel.send(ByteBuffer.wrap(datagram), to);
            log.debug("sent {} seq {} to {}", boot ? "boot message" : "heartbeat", Long.toUnsignedString(s), link);
        } catch (IOException e) {
            log.warn("cannot send to {} ({}): {}; looking its name up again", link, to, e.toString());
            resolve(link);
        }
    }

    private InetSocketAddress resolve(ServerLink link) {
        try {
            InetSocketAddress before = link.address();
            InetSocketAddress now = link.resolve();
            if (before != null && !before.equals(now)) {
                log.info("server {} now resolves to {}", link, now.getAddress().getHostAddress());
            }
            return now;
        } catch (IOException e) {
            log.warn("cannot resolve server {}: {}", link.host, e.getMessage());
            return link.address();
        }
    }

    private void receive() {
        ByteBuffer in = ByteBuffer.allocate(Protocol.MAX_DATAGRAM + 1);
        while (!closed) {
            SocketAddress from;
            try {
                in.clear();
                from = channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("receive failed: {}", e.toString());
                continue;
            }
            in.flip();
            try {
                onDatagram(in, from);
            } catch (RuntimeException e) {
                log.error("unexpected failure handling a datagram from {}", from, e);
            }
        }
    }

    private void onDatagram(ByteBuffer datagram, SocketAddress from) {
        ServerLink link = linkAt(from);
        if (link == null) {
            log.debug("ignored a datagram from {}, which is not a server of this client", from);
            return;
        }
        Message message;
        try {
            message = Datagrams.decode(datagram);
        } catch (MalformedDatagramException e) {
            log.debug("ignored a malformed datagram from {}: {}", link, e.getMessage());
            return;
        }
        if (!(message instanceof Ack ack)) {
            log.debug("ignored a {} from {}", message.type(), link);
            return;
        }
        if (key != null && !key.verify(datagram)) {
            log.warn("ignored an ACK from {} that is not signed with this host's key", link);
            return;
        }
        int unansweredBefore = link.unanswered();
        long now = System.nanoTime();
        if (!link.acknowledged(ack.seq(), now)) {
            log.debug("ignored an ACK from {} for seq {}, which waits for none", link, Long.toUnsignedString(ack.seq()));
            return;
        }
        if (unansweredBefore >= UNANSWERED_LIMIT) {
            log.info("server {} answers again (RTT {} ms)", link, link.rttMicros() / 1000.0);
        } else {
            log.debug("ACK from {} for seq {}: RTT {} ms", link, Long.toUnsignedString(ack.seq()), link.rttMicros() / 1000.0);
        }
        for (Command c : ack.commands()) {
            execute(c, link);
        }
    }

    private ServerLink linkAt(SocketAddress from) {
        for (ServerLink link : links) {
            if (from.equals(link.address())) {
                return link;
            }
        }
        return null;
    }

    private void execute(Command c, ServerLink from) {
        if (!from.take(c.id())) {
            return;
        }
        switch (c.name()) {
            case "ping" -> {
                log.info("command {} from {}: ping", c.id(), from);
                executor.execute(() -> send(from, false));
            }
            case "set-interval" -> setInterval(c, from);
            default -> log.warn("command {} from {}: unknown command \"{}\", ignored", c.id(), from, c.name());
        }
    }

    private void setInterval(Command c, ServerLink from) {
        long seconds = c.argument().matches("[0-9]{1,5}") ? Long.parseLong(c.argument()) : -1;
        if (seconds < 1 || seconds > 86_400) {
            log.warn("command {} from {}: set-interval needs 1 to 86400 seconds, got \"{}\"; ignored", c.id(), from,
                    c.argument());
            return;
        }
        long millis = seconds * 1000;
        log.info("command {} from {}: interval {} (was {})", c.id(), from, seconds(millis), seconds(intervalMillis));
        synchronized (this) {
            intervalMillis = millis;
            if (beats != null) {
                beats.cancel(false);
            }
            if (!closed) {
                beats = executor.scheduleAtFixedRate(this::beat, 0, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Sends a plugin sample to every server, in as many datagrams as it needs.
     *
     * @throws IllegalArgumentException when the values cannot be sent (see {@link Datagrams#encodePluginSample})
     */
    @Override
    public void sendPluginSample(String plugin, long intervalMillis, Map<String, ?> values) {
        List<byte[]> datagrams = Datagrams.encodePluginSample(name, System.currentTimeMillis(), intervalMillis, plugin,
                values, key, n -> seq.getAndAdd(n));
        sendToAll(datagrams);
    }

    /** Tells every server that a plugin failed. */
    @Override
    public void sendPluginError(String plugin, long intervalMillis, String message) {
        sendToAll(List.of(Datagrams.encode(new PluginError(name, seq.getAndIncrement(), System.currentTimeMillis(),
                intervalMillis, plugin, message), key)));
    }

    private void sendToAll(List<byte[]> datagrams) {
        for (ServerLink link : links) {
            InetSocketAddress to = link.address();
            if (to == null) {
                continue;
            }
            for (byte[] d : datagrams) {
                try {
                    channel.send(ByteBuffer.wrap(d), to);
                } catch (IOException e) {
                    log.warn("cannot send plugin data to {}: {}", link, e.toString());
                    break;
                }
            }
        }
    }

    /** The name this client reports as. */
    public String name() {
        return name;
    }

    /** The current heartbeat interval, ms (a server may change it with set-interval). */
    public long intervalMillis() {
        return intervalMillis;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    @Deactivate
    void deactivate() throws IOException, InterruptedException {
        closed = true;
        executor.shutdownNow();
        channel.close();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        receiver.join(5000);
    }
}
