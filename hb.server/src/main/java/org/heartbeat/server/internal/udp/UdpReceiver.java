package org.heartbeat.server.internal.udp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.ClientMessage;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.MalformedDatagramException;
import org.heartbeat.protocol.Message;
import org.heartbeat.protocol.PluginData;
import org.heartbeat.protocol.PluginError;
import org.heartbeat.protocol.Protocol;
import org.heartbeat.protocol.Values;
import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.internal.StartupProblems;
import org.heartbeat.server.internal.config.ServerSettings;
import org.heartbeat.server.internal.event.SampleDelivery;
import org.heartbeat.server.internal.host.HostRegistry;
import org.heartbeat.server.internal.host.HostTable;
import org.heartbeat.server.api.Addresses;
import org.heartbeat.server.internal.util.Durations;
import org.heartbeat.server.internal.util.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The UDP side of the server: receives datagrams on {@code hb_port}, decodes and authenticates them
 * (docs/PROTOCOL.md, sections 8 and 9), records heartbeats in the {@link HostRegistry} and answers them with an
 * ACK no longer than the heartbeat, and hands plugin samples and failures to {@link SampleDelivery}. Anything
 * invalid is counted by reason, logged at a limited rate and never answered. One thread does all of it, without
 * locks of its own. If the port cannot be bound, the failure is reported to {@link StartupProblems}, which tells
 * the launcher.
 */
@Component(service = UdpReceiver.class, immediate = true, configurationPid = ServerSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class UdpReceiver {
    /** Why a datagram was dropped, beyond the decoder's reasons. */
    enum Drop {
        BAD_MAC,
        UNSIGNED,
        NO_KEY,
        STALE,
        REPLAYED,
        HOST_LIMIT,
        UNEXPECTED_ACK,
        /** Plugin data or error naming a host that is not tracked. */
        UNKNOWN_HOST
    }

    /** Bytes of split plugin samples that may wait for their other parts. */
    private static final long ASSEMBLY_BYTES = 16 * 1024 * 1024;

    private static final int RECEIVE_BUFFER = 8 * 1024 * 1024;

    private final HostRegistry registry;
    private final SampleDelivery samples;
    private final StartupProblems problems;
    private final SampleAssembler assembler = new SampleAssembler(ASSEMBLY_BYTES, SampleAssembler.TIMEOUT_MILLIS);
    private final Logger log;
    private final RateLimitedLog limited;
    private final Map<MalformedDatagramException.Reason, LongAdder> malformed =
            new EnumMap<>(MalformedDatagramException.Reason.class);
    private final Map<Drop, LongAdder> dropped = new EnumMap<>(Drop.class);
    private final LongAdder received = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder pluginMessages = new LongAdder();
    private final LongAdder malformedSamples = new LongAdder();

    private volatile Binding binding;

    /** A bound socket and the thread serving it. */
    private final class Binding {
        final DatagramChannel channel;
        final Thread thread;
        final String listen;
        final int requestedPort;
        final CountDownLatch stopped = new CountDownLatch(1);

        Binding(String listen, int port) throws IOException {
            this.listen = listen;
            this.requestedPort = port;
            InetAddress address = listen.isEmpty() ? null : InetAddress.getByName(listen);
            this.channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(new InetSocketAddress(address, port));
            this.thread = new Thread(this::serve, "hbd-udp-" + port());
            thread.setDaemon(true);
        }

        int port() {
            try {
                return ((InetSocketAddress) channel.getLocalAddress()).getPort();
            } catch (IOException e) {
                return -1;
            }
        }

        private void serve() {
            ByteBuffer in = ByteBuffer.allocateDirect(Protocol.MAX_DATAGRAM + 1);
            ByteBuffer out = ByteBuffer.allocate(Protocol.MAX_DATAGRAM);
            try {
                while (true) {
                    in.clear();
                    SocketAddress from = channel.receive(in);
                    in.flip();
                    try {
                        handle(in, (InetSocketAddress) from, out, channel);
                    } catch (RuntimeException e) {
                        log.error("unexpected failure handling a datagram from {}", from, e);
                    }
                }
            } catch (ClosedChannelException e) {
                // closed by stop()
            } catch (IOException e) {
                log.error("UDP receive on port {} failed: {}", port(), e.toString());
            } finally {
                stopped.countDown();
            }
        }

        void stop() throws InterruptedException {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("closing UDP socket: {}", e.toString());
            }
            stopped.await(5, TimeUnit.SECONDS);
        }
    }

    @Activate
    public UdpReceiver(ServerSettings settings, @Reference HostRegistry registry, @Reference SampleDelivery samples,
            @Reference StartupProblems problems, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.registry = registry;
        this.samples = samples;
        this.problems = problems;
        this.log = log;
        this.limited = new RateLimitedLog(10_000, log::warn);
        for (MalformedDatagramException.Reason r : MalformedDatagramException.Reason.values()) {
            malformed.put(r, new LongAdder());
        }
        for (Drop d : Drop.values()) {
            dropped.put(d, new LongAdder());
        }
        bind(settings);
    }

    private void bind(ServerSettings settings) throws IOException {
        Binding b;
        try {
            b = new Binding(settings.listen(), settings.hbPort());
        } catch (IOException e) {
            String where = (settings.listen().isEmpty() ? "" : settings.listen()) + ":" + settings.hbPort();
            String message = "cannot listen for heartbeats on UDP " + where + ": " + e.getMessage();
            log.error("{}", message);
            problems.report("udp", message);
            throw new IOException(message, e);
        }
        problems.clear("udp");
        binding = b;
        b.thread.start();
        log.info("listening for heartbeats on UDP port {}", b.port());
    }

    @Modified
    void modified(ServerSettings settings) throws IOException, InterruptedException {
        Binding current = binding;
        if (current.listen.equals(settings.listen()) && current.requestedPort == settings.hbPort()) {
            return;
        }
        current.stop();
        bind(settings);
    }

    /** The UDP port really bound. */
    public int port() {
        return binding.port();
    }

    void handle(ByteBuffer datagram, InetSocketAddress from, ByteBuffer out, DatagramChannel channel) {
        received.increment();
        int length = datagram.remaining();
        Message message;
        try {
            message = Datagrams.decode(datagram);
        } catch (MalformedDatagramException e) {
            malformed.get(e.reason()).increment();
            limited.log(e.reason().name(), System.currentTimeMillis(), "dropped a malformed datagram from {}: {}",
                    Addresses.text(from), e.getMessage());
            return;
        }
        if (!(message instanceof ClientMessage cm)) {
            drop(Drop.UNEXPECTED_ACK, from, "an ACK sent to the server");
            return;
        }
        Map<String, Object> tree = null;
        if (cm instanceof PluginData part && part.complete()) {
            // structure first: a one-part sample's value tree is part of the datagram's structure (PROTOCOL.md 9)
            tree = decodeTree(part.fragment(), part, from);
            if (tree == null) {
                return;
            }
        }
        HostKey key = null;
        switch (registry.keyRule(cm.host())) {
            case KEY -> {
                key = registry.keyOf(cm.host());
                if (key == null) {
                    drop(Drop.NO_KEY, from, "datagram for host " + cm.host() + ", whose key is not loaded yet");
                    return;
                }
                if (!Datagrams.signed(datagram)) {
                    drop(Drop.UNSIGNED, from, "unsigned datagram for host " + cm.host() + ", which has a key");
                    return;
                }
                if (!key.verify(datagram)) {
                    drop(Drop.BAD_MAC, from, "datagram for host " + cm.host() + " with a wrong signature");
                    return;
                }
                long skew = cm.timeMillis() - System.currentTimeMillis();
                if (Math.abs(skew) > registry.authWindowMillis()) {
                    drop(Drop.STALE, from, "signed datagram for host " + cm.host() + " whose time is "
                            + Durations.human(Math.abs(skew)) + (skew > 0 ? " ahead of" : " behind")
                            + " the server's clock (auth_window allows " + Durations.human(registry.authWindowMillis())
                            + ")");
                    return;
                }
            }
            case REFUSE -> {
                drop(Drop.NO_KEY, from, "datagram for host " + cm.host() + ", which has no key while keys are required");
                return;
            }
            case OPEN -> {
                // open mode: signed or not, the datagram is taken as it is
            }
        }
        boolean authenticated = key != null;
        if (cm instanceof Heartbeat hb) {
            HostTable.Outcome outcome = registry.heartbeat(hb, from, authenticated);
            switch (outcome.verdict()) {
                case ACCEPTED -> ack(hb, outcome, length, key, from, out, channel);
                case REPLAYED -> drop(Drop.REPLAYED, from, "replayed heartbeat for host " + hb.host());
                case HOST_LIMIT -> drop(Drop.HOST_LIMIT, from,
                        "heartbeat of new host " + hb.host() + ": max_hosts hosts are tracked already");
            }
        } else {
            switch (registry.acceptPluginMessage(cm, authenticated)) {
                case ACCEPTED -> plugin(cm, tree, from);
                case REPLAYED -> drop(Drop.REPLAYED, from, "replayed plugin datagram for host " + cm.host());
                case UNKNOWN_HOST -> drop(Drop.UNKNOWN_HOST, from, "plugin datagram for host " + cm.host()
                        + ", which has sent no heartbeat yet");
            }
        }
    }

    private void plugin(ClientMessage message, Map<String, Object> decoded, InetSocketAddress from) {
        pluginMessages.increment();
        long now = System.currentTimeMillis();
        if (message instanceof PluginError e) {
            samples.publish(new PluginFailure(e.host(), e.plugin(), Instant.ofEpochMilli(now), interval(e.intervalMillis()),
                    e.message()));
            limited.log("plugin-error " + e.host() + " " + e.plugin(), now, "plugin {} of {} failed: {}", e.plugin(),
                    e.host(), e.message());
            return;
        }
        PluginData part = (PluginData) message;
        Map<String, Object> tree = decoded;
        if (tree == null) {
            byte[] encoded = assembler.add(part, now);
            if (encoded == null) {
                return;
            }
            tree = decodeTree(encoded, part, from);
            if (tree == null) {
                return;
            }
        }
        Metrics values;
        try {
            values = Metrics.of(tree);
        } catch (IllegalArgumentException e) {
            malformedSamples.increment();
            limited.log("sample", now, "dropped a sample of plugin {} of {} (from {}): {}", part.plugin(), part.host(),
                    Addresses.text(from), e.getMessage());
            return;
        }
        samples.publish(new PluginSample(part.host(), part.plugin(), Instant.ofEpochMilli(part.timeMillis()),
                Instant.ofEpochMilli(now), interval(part.intervalMillis()), values));
    }

    /** A sample's value tree, or null when it is malformed: then counted by its reason and logged. */
    private Map<String, Object> decodeTree(byte[] encoded, PluginData part, InetSocketAddress from) {
        try {
            return Values.decode(encoded);
        } catch (MalformedDatagramException e) {
            malformed.get(e.reason()).increment();
            limited.log(e.reason().name(), System.currentTimeMillis(),
                    "dropped a malformed sample of plugin {} of {} (from {}): {}", part.plugin(), part.host(),
                    Addresses.text(from), e.getMessage());
            return null;
        }
    }

    private static Duration interval(long millis) {
        return millis > 0 ? Duration.ofMillis(millis) : null;
    }

    private void ack(Heartbeat hb, HostTable.Outcome outcome, int requestLength, HostKey key,
            InetSocketAddress to, ByteBuffer out, DatagramChannel channel) {
        Ack ack = Datagrams.ackFitting(hb.seq(), System.currentTimeMillis(), outcome.commands(), requestLength,
                key != null);
        out.clear();
        Datagrams.encode(ack, key, out);
        out.flip();
        try {
            channel.send(out, to);
            acked.increment();
        } catch (IOException e) {
            limited.log("send", System.currentTimeMillis(), "cannot send ACK to {}: {}", Addresses.text(to),
                    e.toString());
        }
    }

    private void drop(Drop why, InetSocketAddress from, String what) {
        dropped.get(why).increment();
        limited.log(why.name(), System.currentTimeMillis(), "dropped {} (from {})", what, Addresses.text(from));
    }

    /** Counters since start, for the status API and for tests. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("received", received.sum());
        out.put("acked", acked.sum());
        out.put("plugin_messages", pluginMessages.sum());
        out.put("plugin_samples_incomplete", assembler.dropped() + assembler.inconsistent());
        out.put("plugin_parts_duplicate", assembler.duplicates());
        out.put("malformed_samples", malformedSamples.sum());
        malformed.forEach((r, n) -> out.put("malformed_" + r.name().toLowerCase(java.util.Locale.ROOT), n.sum()));
        dropped.forEach((d, n) -> out.put("dropped_" + d.name().toLowerCase(java.util.Locale.ROOT), n.sum()));
        return out;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        binding.stop();
    }
}
