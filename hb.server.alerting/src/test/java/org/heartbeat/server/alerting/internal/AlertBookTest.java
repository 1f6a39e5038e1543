package org.heartbeat.server.alerting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.alert.Alert;
import org.junit.jupiter.api.Test;

class AlertBookTest {
    static final Instant T = Instant.parse("2026-12-07T03:00:00Z");
    static final Duration TEN = Duration.ofSeconds(10);

    /** Records what the book sends and stores; channels are "ch-" + host unless set. */
    static final class FakeEnv implements AlertBook.Env {
        AlertBook.Settings settings = new AlertBook.Settings(2, "https://hb.example.com", Duration.ZERO, 5,
                Duration.ofMinutes(10), 5, Duration.ofSeconds(30));
        final Map<String, Integer> notifyAfter = new HashMap<>();
        final Map<String, List<String>> parents = new HashMap<>();
        final Map<String, Instant> upUntil = new HashMap<>();
        final Set<String> overdueInTable = new java.util.HashSet<>();
        final List<String[]> sent = new ArrayList<>();
        final List<Notification> notifications = new ArrayList<>();
        final Map<String, AlertState> stored = new HashMap<>();

        @Override
        public AlertBook.Settings settings() {
            return settings;
        }

        @Override
        public int notifyAfter(String host) {
            return notifyAfter.getOrDefault(host, settings.notifyAfter());
        }

        @Override
        public List<String> parents(String host) {
            return parents.getOrDefault(host, List.of());
        }

        @Override
        public boolean isOverdue(String host) {
            return overdueInTable.contains(host);
        }

        @Override
        public java.util.Optional<Instant> deadlineIfUp(String host) {
            return java.util.Optional.ofNullable(upUntil.get(host));
        }

        @Override
        public Set<String> channels(String host) {
            return new LinkedHashSet<>(List.of("ch-" + host));
        }

        @Override
        public void send(String channel, Notification n) {
            sent.add(new String[] {channel, n.event(), n.title()});
            notifications.add(n);
        }

        @Override
        public void saved(AlertState alert) {
            stored.put(alert.id, alert);
        }

        @Override
        public void removed(String id) {
            stored.remove(id);
        }

        List<String> titles() {
            return sent.stream().map(s -> s[0] + " " + s[1] + " " + s[2]).toList();
        }
    }

    final FakeEnv env = new FakeEnv();
    final AlertBook book = new AlertBook(env);

    @Test
    void oneLostDatagramPagesNobodyWithTheDefaultNotifyAfter() {
        // the tutorial: client every 10 s, grace 2: overdue 12 s after the last heartbeat, back at 20 s
        book.overdue("web1", T, TEN, T.minusSeconds(12), T);
        assertThat(book.nextWake()).isEqualTo(T.plus(TEN));
        book.tick(T.plusSeconds(8));
        book.recovered("web1", T.plusSeconds(8));
        book.tick(T.plusSeconds(30));
        assertThat(env.sent).isEmpty();
        assertThat(book.active(T.plusSeconds(30))).isEmpty();
        assertThat(env.stored).isEmpty();
    }

    @Test
    void aHostThatStopsIsNotifiedAtItsSecondDeadlineAndItsRecoveryToo() {
        book.overdue("web1", T, TEN, T.minusSeconds(12), T);
        assertThat(book.active(T)).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("web1/overdue");
            assertThat(a.lastNotified()).isEmpty();
        });
        book.tick(T.plusSeconds(9).plusMillis(999));
        assertThat(env.sent).isEmpty();
        book.tick(T.plus(TEN));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue");
        Notification n = env.notifications.get(0);
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.host()).contains("web1");
        assertThat(n.body()).contains("no heartbeat since 2026-12-07 02:59:48 UTC").contains("interval 10 s");
        assertThat(n.link()).hasValueSatisfying(u -> assertThat(u.toString())
                .isEqualTo("https://hb.example.com/plugins/web1"));
        assertThat(env.stored.get("web1/overdue").lastNotified).isEqualTo(T.plus(TEN));

        book.recovered("web1", T.plusSeconds(95));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue",
                "ch-web1 host.recovered web1 recovered");
        assertThat(env.notifications.get(1).body()).isEqualTo("web1 is back after 95 s overdue");
        assertThat(env.notifications.get(1).severity()).isEqualTo(Severity.OK);
    }

    @Test
    void notifyAfterOneSendsAtTheDeadlineAndPerHostOverridesApply() {
        env.notifyAfter.put("db1", 1);
        book.overdue("db1", T, TEN, null, T);
        assertThat(env.titles()).containsExactly("ch-db1 host.overdue db1 is overdue");
        env.notifyAfter.put("db2", 3);
        book.overdue("db2", T, TEN, null, T);
        assertThat(book.nextWake()).isEqualTo(T.plusSeconds(20));
    }

    @Test
    void aReplayedOverdueEventChangesNothing() {
        book.overdue("web1", T, TEN, null, T);
        book.tick(T.plus(TEN));
        book.overdue("web1", T, TEN, null, T.plusSeconds(11));
        book.tick(T.plusSeconds(40));
        assertThat(env.sent).hasSize(1);
    }

    @Test
    void aSilenceHoldsNotificationsAndTheyFollowWhenItEnds() {
        book.silence("web1", Duration.ofMinutes(5), "alice", "maintenance", T);
        book.overdue("web1", T, TEN, null, T);
        book.tick(T.plusSeconds(60));
        assertThat(env.sent).isEmpty();
        assertThat(book.active(T.plusSeconds(60))).singleElement().satisfies(a -> assertThat(a.silenced()).isTrue());
        assertThat(book.nextWake()).isEqualTo(T.plus(TEN)); // due, but held by the silence
        book.tick(T.plusSeconds(300));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue");
    }

    @Test
    void aSilenceForEveryHostCoversThemAllAndCanBeLifted() {
        var s = book.silence(null, Duration.ofHours(2), "alice", "", T);
        env.notifyAfter.put("a", 1);
        book.overdue("a", T, TEN, null, T);
        assertThat(env.sent).isEmpty();
        assertThat(book.unsilence(s.id(), T.plusSeconds(5))).isPresent();
        assertThat(env.titles()).containsExactly("ch-a host.overdue a is overdue");
        assertThat(book.silences(T.plusSeconds(5))).isEmpty();
    }

    @Test
    void aSilenceMustHaveAPositiveLength() {
        assertThatThrownBy(() -> book.silence("a", Duration.ZERO, "alice", "", T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 0 seconds");
    }

    @Test
    void remindersRepeatUntilAcknowledged() {
        env.settings = new AlertBook.Settings(1, "", Duration.ofMinutes(30), 5, Duration.ofMinutes(10), 5,
                Duration.ofSeconds(30));
        book.overdue("web1", T, TEN, null, T);
        assertThat(book.nextWake()).isEqualTo(T.plus(Duration.ofMinutes(30)));
        book.tick(T.plus(Duration.ofMinutes(30)));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue",
                "ch-web1 host.overdue Reminder: web1 is overdue");
        List<Alert> acked = book.acknowledge("web1", null, "alice", "on it", T.plus(Duration.ofMinutes(31)));
        assertThat(acked).singleElement().satisfies(a -> assertThat(a.acknowledgement().get().user())
                .isEqualTo("alice"));
        assertThat(book.acknowledge("web1", null, "bob", "", T.plus(Duration.ofMinutes(32)))).isEmpty();
        book.tick(T.plus(Duration.ofHours(5)));
        assertThat(env.sent).hasSize(2);
        // the recovery is still told
        book.recovered("web1", T.plus(Duration.ofHours(5)));
        assertThat(env.sent).hasSize(3);
    }

    @Test
    void childrenOfAnOverdueParentAreHeldBackAndSummarised() {
        env.notifyAfter.put("router1", 1);
        env.notifyAfter.put("web1", 1);
        env.notifyAfter.put("web2", 1);
        env.parents.put("web1", List.of("router1"));
        env.parents.put("web2", List.of("router1"));
        // the child's deadline passes first, within the parent's grace: held back, named in the parent's message
        env.notifyAfter.put("router1", 2);
        book.overdue("router1", T, TEN, null, T);
        book.overdue("web1", T.plusSeconds(1), TEN, null, T.plusSeconds(1));
        assertThat(env.sent).isEmpty();
        assertThat(book.get("web1/overdue", T.plusSeconds(1)).get().heldBack())
                .contains("depends on router1, which is overdue");
        book.tick(T.plus(TEN));
        assertThat(env.titles()).containsExactly("ch-router1 host.overdue router1 is overdue");
        assertThat(env.notifications.get(0).body()).endsWith("also overdue behind it: web1");
        // a later child is summarised once, a few seconds on
        book.overdue("web2", T.plusSeconds(12), TEN, null, T.plusSeconds(12));
        book.tick(T.plusSeconds(12).plus(AlertBook.DEPENDENCY_FLUSH));
        assertThat(env.titles()).containsExactly("ch-router1 host.overdue router1 is overdue",
                "ch-router1 summary 1 host behind router1 overdue too");
        // the children recover with the parent: only the parent's recovery is told on its own
        book.recovered("web1", T.plusSeconds(60));
        book.recovered("web2", T.plusSeconds(60));
        book.recovered("router1", T.plusSeconds(60));
        book.tick(T.plusSeconds(60).plus(AlertBook.STORM_FLUSH));
        assertThat(env.titles()).contains("ch-router1 host.recovered router1 recovered",
                "ch-web1 summary 1 host is back", "ch-web2 summary 1 host is back");
        assertThat(env.titles()).doesNotContain("ch-web1 host.recovered web1 recovered");
    }

    @Test
    void aChildWhoseParentIsStillUpWaitsForTheParentsDeadline() {
        env.notifyAfter.put("web1", 1);
        env.notifyAfter.put("router1", 1);
        env.parents.put("web1", List.of("router1"));
        env.upUntil.put("router1", T.plusMillis(300));
        book.overdue("web1", T, TEN, null, T);
        assertThat(env.sent).isEmpty();
        assertThat(book.nextWake()).isEqualTo(T.plusMillis(300).plus(AlertBook.PARENT_MARGIN));
        // the parent goes overdue at its deadline: the child is held back and named in the parent's notice
        env.upUntil.remove("router1");
        book.overdue("router1", T.plusMillis(300), TEN, null, T.plusMillis(300));
        book.tick(T.plusMillis(500));
        assertThat(env.titles()).containsExactly("ch-router1 host.overdue router1 is overdue");
        assertThat(env.notifications.get(0).body()).endsWith("also overdue behind it: web1");
    }

    @Test
    void aChildWhoseEventComesBeforeItsOverdueParentsIsNamedInTheParentsNotice() {
        env.notifyAfter.put("web1", 1);
        env.notifyAfter.put("router1", 1);
        env.parents.put("web1", List.of("router1"));
        env.overdueInTable.add("router1"); // its deadline passed; its event is still on the way
        book.overdue("web1", T, TEN, null, T);
        assertThat(env.sent).isEmpty();
        book.overdue("router1", T, TEN, null, T.plusMillis(20));
        assertThat(env.titles()).containsExactly("ch-router1 host.overdue router1 is overdue");
        assertThat(env.notifications.get(0).body()).endsWith("also overdue behind it: web1");
    }

    @Test
    void aChildHeldByAParentWithoutAnAlertIsReleasedWhenTheParentRecovers() {
        env.notifyAfter.put("web1", 1);
        env.parents.put("web1", List.of("router1"));
        env.overdueInTable.add("router1"); // overdue before alerting ran: no alert of its own
        book.overdue("web1", T, TEN, null, T);
        env.overdueInTable.clear();
        book.recovered("router1", T.plusSeconds(5));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue");
    }

    @Test
    void aChildWhoseParentStaysUpIsToldOnceTheParentsDeadlinePassed() {
        env.notifyAfter.put("web1", 1);
        env.parents.put("web1", List.of("router1"));
        env.upUntil.put("router1", T.plusMillis(300));
        book.overdue("web1", T, TEN, null, T);
        env.upUntil.put("router1", T.plusSeconds(10)); // it reported meanwhile: still up, a new deadline
        book.tick(T.plusMillis(500));
        assertThat(env.sent).isEmpty(); // waits once more, at most the parent's interval and grace
        env.upUntil.clear();
        book.tick(T.plusSeconds(11));
        assertThat(env.titles()).containsExactly("ch-web1 host.overdue web1 is overdue");
    }

    @Test
    void aChildStillOverdueWhenItsParentRecoversIsNotifiedOnItsOwn() {
        env.notifyAfter.put("router1", 1);
        env.notifyAfter.put("web1", 1);
        env.parents.put("web1", List.of("router1"));
        book.overdue("router1", T, TEN, null, T);
        book.overdue("web1", T, TEN, null, T);
        book.recovered("router1", T.plusSeconds(30));
        assertThat(env.titles()).contains("ch-web1 host.overdue web1 is overdue");
    }

    @Test
    void theStormGuardSummarisesButNeverDelaysTheFirstHosts() {
        for (int i = 1; i <= 8; i++) {
            env.notifyAfter.put("h" + i, 1);
        }
        for (int i = 1; i <= 4; i++) {
            book.overdue("h" + i, T, TEN, null, T.plusMillis(i));
        }
        assertThat(env.sent).hasSize(4); // at once: not a storm yet
        for (int i = 5; i <= 8; i++) {
            book.overdue("h" + i, T, TEN, null, T.plusMillis(i));
        }
        assertThat(env.sent).hasSize(4);
        assertThat(book.get("h7/overdue", T.plusSeconds(1)).get().heldBack()).hasValueSatisfying(
                r -> assertThat(r).startsWith("storm"));
        assertThat(book.nextWake()).isEqualTo(T.plusMillis(5).plus(AlertBook.STORM_FLUSH));
        book.tick(T.plusMillis(5).plus(AlertBook.STORM_FLUSH));
        // one summary per channel; here each host has its own channel
        assertThat(env.titles().subList(4, env.sent.size())).containsExactly(
                "ch-h5 summary 1 more host is overdue (storm guard)",
                "ch-h6 summary 1 more host is overdue (storm guard)",
                "ch-h7 summary 1 more host is overdue (storm guard)",
                "ch-h8 summary 1 more host is overdue (storm guard)");
        // long after the storm a lone host goes out at once again
        env.notifyAfter.put("lone", 1);
        book.overdue("lone", T.plusSeconds(600), TEN, null, T.plusSeconds(600));
        assertThat(env.titles()).last().isEqualTo("ch-lone host.overdue lone is overdue");
    }

    @Test
    void aFlappingAlertIsToldOnceAndAgainWhenItSettles() {
        env.notifyAfter.put("web1", 1);
        Instant t = T;
        for (int i = 0; i < 3; i++) {
            book.overdue("web1", t, TEN, null, t);
            t = t.plusSeconds(30);
            book.recovered("web1", t);
            t = t.plusSeconds(30);
        }
        // overdue, recovered, overdue, recovered, overdue: the fifth change makes it flapping, told instead of
        // itself, and the sixth (recovered) is quiet
        List<String> titles = env.titles();
        assertThat(titles).containsExactly("ch-web1 host.overdue web1 is overdue",
                "ch-web1 host.recovered web1 recovered", "ch-web1 host.overdue web1 is overdue",
                "ch-web1 host.recovered web1 recovered", "ch-web1 alert.flapping web1: overdue is flapping");
        assertThat(env.notifications.get(4).body()).contains("changed 5 times within 10 min");
        // it keeps flapping quietly: the last change counts from here
        book.overdue("web1", t, TEN, null, t);
        assertThat(env.sent).hasSize(5);
        assertThat(book.active(t)).singleElement().satisfies(a -> assertThat(a.flapping()).isTrue());
        book.tick(t.plus(Duration.ofMinutes(10)));
        assertThat(env.titles()).last().isEqualTo("ch-web1 alert.settled web1: overdue settled");
        assertThat(env.notifications.get(env.notifications.size() - 1).body()).contains("it is still overdue");
    }

    @Test
    void raisedConditionsAreToldAtOnceEscalationsAgainAndRecoveriesOnce() {
        String id = "db1/threshold/disk_monitor/partitions./.percent";
        book.raise(id, "db1", Alert.Kind.THRESHOLD, "disk_monitor partitions./.percent", Severity.WARNING,
                Notification.THRESHOLD_WARNING, "db1: disk 85% (warning at 80%)", "disk 85%", 85.0, 80.0, T, T);
        book.acknowledge("db1", id, "alice", "", T.plusSeconds(1));
        book.raise(id, "db1", Alert.Kind.THRESHOLD, "disk_monitor partitions./.percent", Severity.WARNING,
                Notification.THRESHOLD_WARNING, "same", "disk 86%", 86.0, 80.0, T, T.plusSeconds(2));
        book.raise(id, "db1", Alert.Kind.THRESHOLD, "disk_monitor partitions./.percent", Severity.CRITICAL,
                Notification.THRESHOLD_CRITICAL, "db1: disk 95% (critical at 90%)", "disk 95%", 95.0, 90.0, T,
                T.plusSeconds(3));
        assertThat(book.get(id, T.plusSeconds(3)).get().acknowledgement()).isEmpty();
        book.clear(id, Notification.THRESHOLD_RECOVERED, "db1: disk back to 50%", "disk 50%", T.plusSeconds(9));
        assertThat(env.titles()).containsExactly("ch-db1 threshold.warning db1: disk 85% (warning at 80%)",
                "ch-db1 threshold.critical db1: disk 95% (critical at 90%)",
                "ch-db1 threshold.recovered db1: disk back to 50%");
    }

    @Test
    void forgettingAHostEndsItsAlertsSilently() {
        env.notifyAfter.put("old", 1);
        book.overdue("old", T, TEN, null, T);
        book.forgotten("old", T.plusSeconds(5));
        assertThat(book.active(T.plusSeconds(5))).isEmpty();
        assertThat(env.sent).hasSize(1);
        assertThat(env.stored).isEmpty();
    }

    @Test
    void restoredAlertsAreNotToldAgain() {
        env.notifyAfter.put("web1", 1);
        book.overdue("web1", T, TEN, null, T);
        AlertBook restarted = new AlertBook(env);
        restarted.restore(List.copyOf(env.stored.values()), List.of());
        restarted.tick(T.plusSeconds(60));
        restarted.overdue("web1", T, TEN, null, T.plusSeconds(61));
        assertThat(env.sent).hasSize(1);
        restarted.recovered("web1", T.plusSeconds(70));
        assertThat(env.titles()).last().isEqualTo("ch-web1 host.recovered web1 recovered");
    }
}
