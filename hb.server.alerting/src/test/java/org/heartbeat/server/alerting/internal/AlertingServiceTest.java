package org.heartbeat.server.alerting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.Outbox;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

class AlertingServiceTest {
    static final Instant T = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dir;

    final List<String> queued = new CopyOnWriteArrayList<>();
    final List<String> logged = new CopyOnWriteArrayList<>();
    final List<ChannelStatus> channels = new CopyOnWriteArrayList<>();
    volatile Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    AlertingService service;

    final Outbox outbox = new Outbox() {
        @Override
        public OutboxEntry enqueue(String channel, Notification n) {
            queued.add(channel + " " + n.event() + " " + n.title());
            return null;
        }

        @Override
        public List<OutboxEntry> entries(OutboxEntry.State state, int limit) {
            return List.of();
        }

        @Override
        public Optional<OutboxEntry> entry(String id) {
            return Optional.empty();
        }

        @Override
        public boolean retry(String id) {
            return false;
        }

        @Override
        public List<ChannelStatus> channels() {
            return channels;
        }

        @Override
        public Delivery test(String channel, Notification n) {
            return Delivery.delivered();
        }
    };

    final UserDirectory users = new UserDirectory() {
        final User alice = new User("alice", true, List.of("ops"));
        final User bob = new User("bob", false, List.of("bob-phone"));

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public List<User> users() {
            return List.of(alice, bob);
        }

        @Override
        public Optional<User> user(String name) {
            return users().stream().filter(u -> u.name().equals(name)).findFirst();
        }

        @Override
        public Optional<User> owner(String host) {
            return host.startsWith("bob-") ? Optional.of(bob) : Optional.empty();
        }

        @Override
        public Optional<User> authenticate(String name, String password) {
            return Optional.empty();
        }

        @Override
        public Optional<User> authenticateToken(String token) {
            return Optional.empty();
        }
    };

    final HostDirectory hosts = new HostDirectory() {
        @Override
        public List<HostView> hosts() {
            return List.of(HostView.builder("web1").status(HostStatus.OVERDUE).build());
        }

        @Override
        public Optional<HostView> host(String name) {
            return Optional.empty();
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public Map<HostStatus, Integer> counts() {
            return Map.of(HostStatus.OVERDUE, 1);
        }
    };

    final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                if (args != null && args.length > 0 && List.of("info", "warn", "error").contains(method.getName())) {
                    StringBuilder b = new StringBuilder(method.getName().toUpperCase()).append(' ').append(args[0]);
                    for (int i = 1; i < args.length; i++) {
                        b.append(" | ").append(args[i] instanceof Object[] a ? java.util.Arrays.toString(a)
                                : args[i]);
                    }
                    logged.add(b.toString());
                }
                return method.getName().startsWith("is") ? Boolean.TRUE : null;
            });

    ServerConfig config(String yaml) throws Exception {
        return ServerConfig.parse("alerting:\n  file: " + dir.resolve("alerts.db") + "\n" + yaml);
    }

    AlertingService start(ServerConfig config) throws Exception {
        AlertingService s = new AlertingService(outbox, users, hosts, log, new Clock() {
            @Override
            public Instant instant() {
                return clock.instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        });
        s.restartNoticeDelay = Duration.ZERO;
        s.channelCheckEvery = Duration.ofMillis(50);
        s.reloaded(config);
        s.start(AlertStore.open(config.alerting().file()));
        return s;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.deactivate();
        }
    }

    static HostEvent overdue(long id, String host, Instant since) {
        return HostEvent.builder(HostEvent.Type.OVERDUE, host).id(id).time(since).overdueSince(since)
                .deadline(since).interval(Duration.ofSeconds(10)).lastSeen(since.minusSeconds(12)).build();
    }

    @Test
    void anOverdueHostIsQueuedForItsOwnerOrTheAdminsWhenItsSecondDeadlinePasses() throws Exception {
        service = start(config(""));
        // bob's host missed two deadlines long ago (events replayed, say): queued at once for bob
        service.hostEvent(overdue(1, "bob-laptop", T.minusSeconds(30)));
        assertThat(queued).containsExactly("bob-phone host.overdue bob-laptop is overdue");
        // web1 has no owner: the admins hear, once its second deadline passes on the real timer
        clock = Clock.fixed(T, ZoneOffset.UTC);
        service.hostEvent(overdue(2, "web1", T.minusMillis(9_800)));
        assertThat(queued).hasSize(1);
        clock = Clock.offset(Clock.fixed(T, ZoneOffset.UTC), Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> queued.size() == 2);
        assertThat(queued).last().isEqualTo("ops host.overdue web1 is overdue");
        assertThat(service.active()).extracting(Alert::id).containsExactly("bob-laptop/overdue", "web1/overdue");
        assertThat(service.status()).containsEntry("active", 2);
    }

    @Test
    void alertsAcknowledgementsSilencesAndTheEventCursorSurviveARestart() throws Exception {
        ServerConfig c = config("notify_after: 1\n");
        service = start(c);
        service.hostEvent(overdue(7, "web1", T));
        service.acknowledge("web1", null, "alice", "on it");
        service.silence("db1", Duration.ofHours(1), "alice", "disk swap");
        service.deactivate();

        service = start(c);
        assertThat(service.resumeAfter()).isEqualTo(7);
        assertThat(service.active()).singleElement().satisfies(a -> {
            assertThat(a.acknowledgement().get().comment()).isEqualTo("on it");
            assertThat(a.lastNotified()).contains(T);
        });
        assertThat(service.silences()).singleElement().satisfies(s -> assertThat(s.host()).contains("db1"));
        // the event again (replayed from the journal) is not told twice; its recovery is told
        service.hostEvent(overdue(7, "web1", T));
        service.hostEvent(HostEvent.builder(HostEvent.Type.RECOVERED, "web1").id(8).time(T.plusSeconds(40)).build());
        assertThat(queued).containsExactly("ops host.overdue web1 is overdue", "ops host.recovered web1 recovered");
        assertThat(service.active()).isEmpty();
    }

    @Test
    void theHistoryTellsEveryStepNewestFirstAndSurvivesARestart() throws Exception {
        ServerConfig c = config("notify_after: 1\n");
        service = start(c);
        service.hostEvent(overdue(1, "web1", T));
        service.acknowledge("web1", null, "alice", "on it");
        service.hostEvent(overdue(2, "db1", T));
        service.hostEvent(HostEvent.builder(HostEvent.Type.RECOVERED, "web1").id(3).time(T.plusSeconds(30)).build());
        service.deactivate();
        service = start(c);
        assertThat(service.history("web1", 10)).extracting(r -> r.step() + " " + r.user())
                .containsExactly("recovered ", "acknowledged alice", "notified ", "raised ");
        assertThat(service.history(null, 10)).hasSize(6);
        assertThat(service.history(null, 2)).extracting(r -> r.alertId())
                .containsExactly("web1/overdue", "db1/overdue");
        assertThat(service.history("web1", 10).get(0).severity()).isEqualTo(org.heartbeat.api.notify.Severity.OK);
    }

    @Test
    void aPluginErrorIsAnAlertUntilThePluginReportsValuesAgain() throws Exception {
        service = start(config(""));
        service.failure(new PluginFailure("web1", "disk_monitor", T, null, "permission denied"));
        assertThat(service.active()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Alert.Kind.PLUGIN_ERROR);
            assertThat(a.message()).contains("permission denied");
        });
        service.sample(new org.heartbeat.server.api.plugin.PluginSample("web1", "disk_monitor", T, T, null,
                org.heartbeat.api.Metrics.of(Map.of("percent", 5))));
        assertThat(service.active()).isEmpty();
        assertThat(queued).containsExactly("ops plugin.error web1: disk_monitor fails",
                "ops plugin.recovered web1: disk_monitor works again");
    }

    @Test
    void afterADowntimeTheAdminsAreToldForHowLongAndWhatWasFound() throws Exception {
        ServerConfig c = config("");
        service = start(c);
        service.deactivate();
        clock = Clock.fixed(T.plus(Duration.ofMinutes(42)), ZoneOffset.UTC);
        service = start(c);
        await().atMost(Duration.ofSeconds(5)).until(() -> !queued.isEmpty());
        assertThat(queued).containsExactly("ops server.restarted hbd is back");
        assertThat(logged).anyMatch(l -> l.contains("down for about 42 min") && l.contains("overdue: web1"));
    }

    @Test
    void aUserWhoseEveryChannelFailsIsNamedInTheLog() throws Exception {
        service = start(config(""));
        channels.add(new ChannelStatus("ops", "pushover", true, 3, 4, Optional.empty(), "HTTP 500", 20));
        channels.add(new ChannelStatus("bob-phone", "voipms", false, 0, 0, Optional.empty(), "", 10));
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.stream().filter(l -> l.startsWith("ERROR every"))
                .count() == 2);
        assertThat(logged).anyMatch(l -> l.contains("alice") && l.contains("ops: HTTP 500"));
        assertThat(logged).anyMatch(l -> l.contains("bob") && l.contains("no bundle provides type voipms"));
        assertThat(service.status().get("usersWithoutWorkingChannel")).asList().containsExactlyInAnyOrder("alice",
                "bob");
    }

    static org.heartbeat.server.api.plugin.PluginSample cpu(Instant at, double percent) {
        return new org.heartbeat.server.api.plugin.PluginSample("web1", "cpu_monitor", at, at, Duration.ofSeconds(60),
                org.heartbeat.api.Metrics.of(Map.of("cpu_percent", percent)));
    }

    static final String TUTORIAL_THRESHOLDS = """
            thresholds:
              cpu_monitor:
                cpu_percent:
                  warning: 80.0
                  critical: 90.0
            """;

    @Test
    void aThresholdCrossedIsAnAlertToldAtOnceAndItsRecoveryToo() throws Exception {
        service = start(config(TUTORIAL_THRESHOLDS));
        service.sample(cpu(T, 50));
        service.sample(cpu(T.plusSeconds(60), 85.5));
        service.sample(cpu(T.plusSeconds(120), 95));
        assertThat(service.active()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("web1/threshold/cpu_monitor/cpu_percent");
            assertThat(a.severity()).isEqualTo(org.heartbeat.api.notify.Severity.CRITICAL);
            assertThat(a.value()).contains(95.0);
            assertThat(a.threshold()).contains(90.0);
        });
        service.sample(cpu(T.plusSeconds(180), 40));
        assertThat(queued).containsExactly("ops threshold.warning web1: cpu_monitor /cpu_percent WARNING",
                "ops threshold.critical web1: cpu_monitor /cpu_percent CRITICAL",
                "ops threshold.recovered web1: cpu_monitor /cpu_percent recovered");
        assertThat(service.active()).isEmpty();
    }

    @Test
    void aThresholdAlertThatClearedWhileHbdWasDownIsClosedByTheFirstSampleAfterwards() throws Exception {
        ServerConfig c = config(TUTORIAL_THRESHOLDS);
        service = start(c);
        service.sample(cpu(T, 85));
        service.deactivate();
        service = start(c);
        assertThat(service.active()).hasSize(1);
        service.sample(cpu(T.plusSeconds(600), 85)); // still high: stays, not told again
        assertThat(service.active()).hasSize(1);
        service.deactivate();
        service = start(c);
        service.sample(cpu(T.plusSeconds(1200), 20));
        assertThat(service.active()).isEmpty();
        assertThat(queued).containsExactly("ops threshold.warning web1: cpu_monitor /cpu_percent WARNING",
                "ops threshold.recovered web1: cpu_monitor /cpu_percent recovered");
    }

    @Test
    void aReloadThatRemovesARuleClosesItsAlertsWithoutAWord() throws Exception {
        service = start(config(TUTORIAL_THRESHOLDS));
        service.sample(cpu(T, 99));
        service.reloaded(config(""));
        assertThat(service.active()).isEmpty();
        assertThat(queued).containsExactly("ops threshold.critical web1: cpu_monitor /cpu_percent CRITICAL");
    }
}
