package org.heartbeat.server.live.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.user.User;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LiveHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fakes.Directory directory = new Fakes.Directory();
    private final Fakes.FakeAlerts alerts = new Fakes.FakeAlerts();
    private final List<String> warnings = new ArrayList<>();
    private final LiveHub hub = new LiveHub(directory, Fakes.logger(warnings), false);

    LiveHubTest() {
        hub.alerts = alerts;
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private List<String> connect(User viewer) {
        List<String> sent = new ArrayList<>();
        hub.open((text, done) -> {
            sent.add(text);
            done.accept(null);
        }, viewer);
        return sent;
    }

    @Test
    void aConnectionStartsWithASnapshotOfHostsAndAlerts() throws Exception {
        directory.put(Fakes.host("web1", HostStatus.UP, 1, null));
        alerts.active.add(Fakes.FakeAlert.overdue("a1", "web1"));
        List<String> sent = connect(null);
        JsonNode snapshot = json(sent.get(0));
        assertThat(snapshot.path("type").asText()).isEqualTo("snapshot");
        assertThat(snapshot.path("hosts").get(0).path("name").asText()).isEqualTo("web1");
        assertThat(snapshot.path("hosts").get(0).path("status").asText()).isEqualTo("up");
        assertThat(snapshot.path("hosts").get(0).path("rtt_ms").asDouble()).isEqualTo(2.0);
        assertThat(snapshot.path("alerts").get(0).path("id").asText()).isEqualTo("a1");
    }

    @Test
    void aQuietConnectionGetsAChangeAtOnceABusyOneAtMostEveryHundredMilliseconds() throws Exception {
        java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
        hub.server = (org.heartbeat.server.api.ServerStatus) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.heartbeat.server.api.ServerStatus.class},
                (p, m, a) -> m.getName().equals("datagrams") ? Map.of("received", acked.get() + 5, "acked",
                        acked.get()) : null);
        long ms = 1_000_000;
        long t = 7_000 * ms;
        directory.put(Fakes.host("web1", HostStatus.UP, 1, null));
        List<String> sent = connect(null);
        hub.tick(t);
        assertThat(sent).as("the snapshot, then the first look's baseline").hasSize(2);
        sent.clear();

        // a heartbeat right after a batch waits for the window to end
        directory.put(Fakes.host("web1", HostStatus.UP, 2, null));
        acked.incrementAndGet();
        hub.tick(t + 30 * ms);
        hub.tick(t + 90 * ms);
        assertThat(sent).isEmpty();
        hub.tick(t + 100 * ms);
        assertThat(sent).hasSize(1);
        assertThat(json(sent.get(0)).path("events").get(0).path("host").path("heartbeats").asLong()).isEqualTo(2);
        sent.clear();
        hub.tick(t + 200 * ms);
        assertThat(sent).as("nothing changed").isEmpty();

        // quiet for over 100 ms: the next heartbeat goes at the first look after it
        directory.put(Fakes.host("web1", HostStatus.UP, 3, null));
        acked.incrementAndGet();
        hub.tick(t + 210 * ms);
        assertThat(sent).hasSize(1);
        assertThat(json(sent.get(0)).path("events").get(0).path("host").path("heartbeats").asLong()).isEqualTo(3);
        sent.clear();

        // and the same for an event, 100 ms after that batch
        hub.tick(t + 300 * ms);
        hub.hostEvent(HostEvent.builder(HostEvent.Type.NEW, "db1").id(8).time(Fakes.T0)
                .statusAfter(HostStatus.UNKNOWN).build());
        hub.tick(t + 305 * ms);
        assertThat(sent).as("only 95 ms after the last batch").isEmpty();
        hub.tick(t + 315 * ms);
        assertThat(sent).hasSize(1);
        assertThat(json(sent.get(0)).path("events").get(0).path("event").asText()).isEqualTo("new");
        sent.clear();

        // a row that changed without any sign (no acknowledged heartbeat) still goes with the next full look
        directory.put(Fakes.host("web1", HostStatus.OVERDUE, 3, null));
        hub.tick(t + 410 * ms);
        assertThat(sent).as("quiet, but no sign: no look before the 100 ms are up").isEmpty();
        hub.tick(t + 415 * ms);
        assertThat(sent).hasSize(1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFlushBatchesHeartbeatsEventsPluginValuesAndAlertChanges() throws Exception {
        directory.put(Fakes.host("web1", HostStatus.UP, 1, null));
        List<String> sent = connect(null);
        hub.flush();
        sent.clear(); // the first flush reports every host: its baseline was empty

        hub.flush();
        assertThat(sent).as("nothing changed, nothing sent").isEmpty();

        directory.put(Fakes.host("web1", HostStatus.UP, 2, null)); // a heartbeat
        directory.put(Fakes.host("db1", HostStatus.UNKNOWN, 1, null)); // a new host
        hub.hostEvent(HostEvent.builder(HostEvent.Type.NEW, "db1").id(7).time(Fakes.T0)
                .statusAfter(HostStatus.UNKNOWN).build());
        hub.sample(new PluginSample("web1", "cpu", Fakes.T0, Fakes.T0, null,
                Metrics.builder().put("load", 0.5).build()));
        hub.sample(new PluginSample("web1", "cpu", Fakes.T0.plusSeconds(1), Fakes.T0, null,
                Metrics.builder().put("load", 0.75).build()));
        alerts.active.add(Fakes.FakeAlert.overdue("a1", "web1"));
        hub.flush();

        assertThat(sent).hasSize(1);
        JsonNode batch = json(sent.get(0));
        assertThat(batch.path("type").asText()).isEqualTo("batch");
        List<String> kinds = new ArrayList<>();
        batch.path("events").forEach(e -> kinds.add(e.path("type").asText()));
        assertThat(kinds).containsExactly("event", "host", "host", "plugin", "alert");
        JsonNode event = batch.path("events").get(0);
        assertThat(event.path("event").asText()).isEqualTo("new");
        assertThat(event.path("host").asText()).isEqualTo("db1");
        assertThat(batch.path("events").get(1).path("host").path("heartbeats").asLong()).isEqualTo(2);
        JsonNode plugin = batch.path("events").get(3);
        assertThat(plugin.path("values").path("load").asDouble()).as("the newest sample only").isEqualTo(0.75);

        sent.clear();
        alerts.active.set(0, Fakes.FakeAlert.overdue("a1", "web1").acknowledged("alice"));
        hub.flush();
        assertThat(json(sent.get(0)).path("events").get(0).path("alert").path("acknowledged").path("user").asText())
                .isEqualTo("alice");

        sent.clear();
        alerts.active.clear();
        directory.hosts.removeIf(h -> h.name().equals("db1"));
        hub.flush();
        JsonNode gone = json(sent.get(0)).path("events");
        assertThat(gone.get(0).path("type").asText()).isEqualTo("host_removed");
        assertThat(gone.get(0).path("name").asText()).isEqualTo("db1");
        assertThat(gone.get(1).path("type").asText()).isEqualTo("alert_cleared");
        assertThat(gone.get(1).path("id").asText()).isEqualTo("a1");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aUserWhoIsNoAdminSeesOnlyTheHostsOwned() throws Exception {
        User alice = new User("alice", false, List.of());
        User root = new User("root", true, List.of());
        hub.users = new Fakes.Users(List.of(alice, root), Map.of(), Map.of(), Map.of("web1", "alice"));
        directory.put(Fakes.host("web1", HostStatus.UP, 1, "alice"));
        directory.put(Fakes.host("db1", HostStatus.UP, 1, null));
        List<String> mine = connect(alice);
        List<String> all = connect(root);
        assertThat(json(mine.get(0)).path("hosts")).hasSize(1);
        assertThat(json(all.get(0)).path("hosts")).hasSize(2);

        hub.flush();
        directory.put(Fakes.host("db1", HostStatus.UP, 2, null));
        hub.flush();
        assertThat(mine).as("db1's heartbeat is not alice's").hasSize(2);
        assertThat(all).hasSize(3);
    }

    @Test
    void withoutConnectionsEventsAndSamplesAreNotKept() {
        hub.hostEvent(HostEvent.builder(HostEvent.Type.NEW, "db1").id(1).time(Fakes.T0).build());
        hub.flush();
        directory.put(Fakes.host("web1", HostStatus.UP, 1, null));
        List<String> sent = connect(null);
        hub.flush();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).doesNotContain("\"event\"");
    }

    @Test
    void aClosedConnectionIsForgotten() {
        List<String> sent = new ArrayList<>();
        Connection c = hub.open((text, done) -> sent.add(text), null);
        assertThat(hub.connections()).isEqualTo(1);
        c.close();
        assertThat(hub.connections()).isZero();
    }
}
