package org.heartbeat.server.internal;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.ServerStatus;
import org.heartbeat.server.internal.event.EventDelivery;
import org.heartbeat.server.internal.event.SampleDelivery;
import org.heartbeat.server.internal.udp.UdpReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The core's {@link ServerStatus}: the receiver's port and counters, and every listener's delivery. */
@Component(service = ServerStatus.class)
public final class CoreStatus implements ServerStatus {
    private final UdpReceiver udp;
    private final EventDelivery events;
    private final SampleDelivery samples;
    private final Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    @Activate
    public CoreStatus(@Reference UdpReceiver udp, @Reference EventDelivery events, @Reference SampleDelivery samples) {
        this.udp = udp;
        this.events = events;
        this.samples = samples;
    }

    @Override
    public Instant started() {
        return started;
    }

    @Override
    public int udpPort() {
        return udp.port();
    }

    @Override
    public Map<String, Long> datagrams() {
        return udp.counters();
    }

    @Override
    public List<ListenerStatus> listeners() {
        List<ListenerStatus> all = new ArrayList<>(events.status());
        all.addAll(samples.status());
        return all;
    }
}
