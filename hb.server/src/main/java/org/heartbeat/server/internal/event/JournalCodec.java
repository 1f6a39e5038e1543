package org.heartbeat.server.internal.event;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.internal.host.InetAddressParser;
import org.heartbeat.server.api.Addresses;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** One journal record's payload: an event as JSON, so that the files can be read with ordinary tools. */
final class JournalCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The record's shape; field names are the file format. Times are ms since the epoch, durations ms. */
    record EventJson(long id, String type, String host, long time, String before, String after, Long lastSeen,
            Long overdueSince, Long deadline, Long intervalMs, Long graceMs, String address, Integer port,
            Long bootTime, String message) {
    }

    private JournalCodec() {
    }

    static byte[] encode(HostEvent e) {
        EventJson j = new EventJson(e.id(), e.type().name(), e.host(), e.time().toEpochMilli(),
                e.statusBefore().map(HostStatus::word).orElse(null), e.statusAfter().map(HostStatus::word).orElse(null),
                e.lastSeen().map(Instant::toEpochMilli).orElse(null),
                e.overdueSince().map(Instant::toEpochMilli).orElse(null),
                e.deadline().map(Instant::toEpochMilli).orElse(null), e.interval().map(Duration::toMillis).orElse(null),
                e.grace().map(Duration::toMillis).orElse(null),
                e.address().map(a -> Addresses.ip(a.getAddress())).orElse(null),
                e.address().map(InetSocketAddress::getPort).orElse(null),
                e.bootTime().map(Instant::toEpochMilli).orElse(null), e.message());
        try {
            return JSON.writeValueAsBytes(j);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot encode " + e, ex);
        }
    }

    /**
     * @throws IOException when the bytes are not an event this version knows (a newer type, say); the journal
     *         skips such records
     */
    static HostEvent decode(byte[] bytes) throws IOException {
        EventJson j = JSON.readValue(bytes, EventJson.class);
        try {
            return HostEvent.builder(HostEvent.Type.valueOf(j.type()), j.host()).id(j.id())
                    .time(Instant.ofEpochMilli(j.time()))
                    .statusBefore(j.before() == null ? null : HostStatus.ofWord(j.before()))
                    .statusAfter(j.after() == null ? null : HostStatus.ofWord(j.after()))
                    .lastSeen(instant(j.lastSeen())).overdueSince(instant(j.overdueSince()))
                    .deadline(instant(j.deadline()))
                    .interval(j.intervalMs() == null ? null : Duration.ofMillis(j.intervalMs()))
                    .grace(j.graceMs() == null ? null : Duration.ofMillis(j.graceMs()))
                    .address(j.address() == null ? null
                            : new InetSocketAddress(InetAddressParser.parse(j.address()),
                                    j.port() == null ? 0 : j.port()))
                    .bootTime(instant(j.bootTime())).message(j.message()).build();
        } catch (RuntimeException ex) {
            throw new IOException("not an event: " + ex.getMessage(), ex);
        }
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
