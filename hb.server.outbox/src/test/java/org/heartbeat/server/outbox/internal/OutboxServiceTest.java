package org.heartbeat.server.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.heartbeat.server.api.notify.OutboxEntry.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final List<OutboxService> started = new ArrayList<>();
    private final List<OutboxStore> stores = new ArrayList<>();
    private Map<String, Object> settings = new HashMap<>();
    private Duration timeout = Duration.ofMillis(200);

    @AfterEach
    void stop() throws InterruptedException {
        for (OutboxService o : started) {
            o.deactivate();
        }
    }

    private OutboxService outbox() {
        Map<String, Object> values = new HashMap<>(Map.of("file", dir.resolve("outbox.db").toString(),
                "channels", new String[] {"ops:pushover", "sms:voipms", "mail:email"}));
        values.putAll(settings);
        OutboxService o = new OutboxService(Components.config(OutboxSettings.class, values), log.logger, clock,
                file -> {
                    OutboxStore s = OutboxStore.open(file);
                    stores.add(s);
                    return s;
                }, Backoff.DEFAULT, timeout);
        started.add(o);
        return o;
    }

    private static Map<String, Object> service(String name, Object... more) {
        Map<String, Object> p = new HashMap<>();
        p.put(NotificationChannel.NAME, name);
        p.put(OutboxService.SERVICE_ID, SERVICE_IDS.incrementAndGet());
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i].toString(), more[i + 1]);
        }
        return p;
    }

    private static int n;

    private static Notification notification(String title, Severity severity) {
        return Notification.builder().id("ntf-" + (++n)).event(Notification.HOST_OVERDUE).severity(severity)
                .host("web1").title(title).body("No heartbeat since 07:59:48 UTC.").time(T0).build();
    }

    private static Notification notification(String title) {
        return notification(title, Severity.CRITICAL);
    }

    private static OutboxEntry.State state(OutboxService o, OutboxEntry e) {
        return o.entry(e.id()).orElseThrow().state();
    }

    private static void awaitState(OutboxService o, OutboxEntry e, State s) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> state(o, e) == s);
    }

    private static void awaitAttempts(OutboxService o, OutboxEntry e, int attempts) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> o.entry(e.id()).orElseThrow().attempts() >= attempts);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    private ChannelStatus status(OutboxService o, String name) {
        return o.channels().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anEntryIsDeliveredOnceInOrderOnTheChannelsOwnThread() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel();
        o.addChannel(ops, service("ops"));

        OutboxEntry first = o.enqueue("ops", notification("web1 is overdue"));
        OutboxEntry second = o.enqueue("ops", notification("web1 recovered", Severity.OK));
        assertThat(first.state()).isEqualTo(State.PENDING);
        assertThat(first.channel()).isEqualTo("ops");
        awaitState(o, second, State.DELIVERED);

        assertThat(ops.titles()).containsExactly("web1 is overdue", "web1 recovered");
        assertThat(ops.threads).containsOnly("hb-outbox-ops");
        OutboxEntry done = o.entry(first.id()).orElseThrow();
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.finished()).contains(T0);
        assertThat(done.nextAttempt()).isEmpty();
        assertThat(o.entries(null, 10)).extracting(OutboxEntry::id).containsExactly(second.id(), first.id());
        assertThat(status(o, "ops").lastDelivered()).contains(T0);
        assertThat(status(o, "ops").failing()).isFalse();
    }

    @Test
    void aPassingFailureIsRetriedAfterAJitteredBackoff() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.retry("HTTP 503"), Delivery.retry("HTTP 502"));
        o.addChannel(ops, service("ops"));

        OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
        awaitAttempts(o, e, 1);
        OutboxEntry after1 = o.entry(e.id()).orElseThrow();
        assertThat(after1.state()).isEqualTo(State.PENDING);
        assertThat(after1.detail()).isEqualTo("HTTP 503");
        assertThat(after1.nextAttempt().orElseThrow()).isBetween(T0.plusSeconds(5), T0.plusSeconds(10));
        assertThat(status(o, "ops").consecutiveFailures()).isEqualTo(1);
        assertThat(status(o, "ops").lastProblem()).isEqualTo("HTTP 503");
        assertThat(status(o, "ops").failing()).isTrue();

        clock.advance(Duration.ofSeconds(4));
        o.wakeAll();
        OutboxEntry stillWaiting = o.entry(e.id()).orElseThrow();
        assertThat(stillWaiting.attempts()).as("not due yet").isEqualTo(1);

        clock.advance(Duration.ofSeconds(6));
        Instant second = clock.instant();
        o.wakeAll();
        awaitAttempts(o, e, 2);
        assertThat(o.entry(e.id()).orElseThrow().nextAttempt().orElseThrow())
                .isBetween(second.plusSeconds(10), second.plusSeconds(20));

        clock.advance(Duration.ofSeconds(20));
        o.wakeAll();
        awaitState(o, e, State.DELIVERED);
        assertThat(ops.sent).hasSize(3);
        assertThat(status(o, "ops").consecutiveFailures()).isZero();
        assertThat(status(o, "ops").lastProblem()).isEmpty();
    }

    @Test
    void aServicesRetryAfterIsHonouredAndCapped() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.retryAfter(Duration.ofSeconds(120), "HTTP 429"),
                Delivery.retryAfter(Duration.ofDays(3), "HTTP 429"));
        o.addChannel(ops, service("ops"));

        OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
        awaitAttempts(o, e, 1);
        assertThat(o.entry(e.id()).orElseThrow().nextAttempt()).contains(T0.plusSeconds(120));

        clock.advance(Duration.ofSeconds(120));
        o.wakeAll();
        awaitAttempts(o, e, 2);
        assertThat(o.entry(e.id()).orElseThrow().nextAttempt()).as("three days are capped at an hour")
                .contains(T0.plusSeconds(120).plus(Duration.ofHours(1)));
    }

    @Test
    void aPermanentFailureIsRecordedLoggedAndNotRetriedUntilAskedTo() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.failed("HTTP 401: invalid token"));
        o.addChannel(ops, service("ops"));

        OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
        awaitState(o, e, State.FAILED);
        OutboxEntry failed = o.entry(e.id()).orElseThrow();
        assertThat(failed.detail()).isEqualTo("HTTP 401: invalid token");
        assertThat(failed.finished()).contains(T0);
        assertThat(log.lines).anyMatch(l -> l.startsWith("WARN") && l.contains("[ops, " + e.id() + ", ")
                && l.contains("HTTP 401: invalid token"));
        assertThat(o.entries(State.FAILED, 10)).extracting(OutboxEntry::id).containsExactly(e.id());

        clock.advance(Duration.ofHours(2));
        o.wakeAll();
        OutboxEntry another = o.enqueue("ops", notification("web2 is overdue"));
        awaitState(o, another, State.DELIVERED);
        assertThat(ops.titles()).containsExactly("web1 is overdue", "web2 is overdue");

        assertThat(o.retry(another.id())).as("only failed entries are retried").isFalse();
        assertThat(o.retry("no-such-id")).isFalse();
        assertThat(o.retry(e.id())).isTrue();
        awaitState(o, e, State.DELIVERED);
        assertThat(ops.titles()).containsExactly("web1 is overdue", "web2 is overdue", "web1 is overdue");
        assertThat(o.entry(e.id()).orElseThrow().attempts()).as("tries start anew").isEqualTo(1);
    }

    @Test
    void anExceptionIsRetried() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(new ConnectException("Connection refused"));
        o.addChannel(ops, service("ops"));

        OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
        awaitAttempts(o, e, 1);
        OutboxEntry after = o.entry(e.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(State.PENDING);
        assertThat(after.detail()).contains("Connection refused");
        assertThat(log.lines).anyMatch(l -> l.startsWith("WARN") && l.contains("Connection refused"));

        clock.advance(Duration.ofSeconds(10));
        o.wakeAll();
        awaitState(o, e, State.DELIVERED);
    }

    @Test
    void aHangingChannelIsInterruptedAfterTheTimeoutWhileOthersGoOn() throws Exception {
        timeout = Duration.ofSeconds(2);
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(FakeChannel.HANG);
        FakeChannel sms = new FakeChannel();
        o.addChannel(ops, service("ops"));
        o.addChannel(sms, service("sms"));

        OutboxEntry hung = o.enqueue("ops", notification("web1 is overdue"));
        assertThat(ops.hanging.await(5, TimeUnit.SECONDS)).isTrue();
        OutboxEntry other = o.enqueue("sms", notification("web1 is overdue"));
        awaitState(o, other, State.DELIVERED);
        assertThat(ops.interrupted.get()).as("delivered elsewhere while ops still hangs").isZero();

        awaitAttempts(o, hung, 1);
        OutboxEntry after = o.entry(hung.id()).orElseThrow();
        assertThat(ops.interrupted.get()).isEqualTo(1);
        assertThat(after.state()).isEqualTo(State.PENDING);
        assertThat(after.detail()).isEqualTo("no answer within 2 s: interrupted");

        clock.advance(Duration.ofSeconds(10));
        o.wakeAll();
        awaitState(o, hung, State.DELIVERED);
    }

    @Test
    void theSendLimitHoldsBackAndSummarisesWithoutLosingAnything() {
        OutboxService o = outbox();
        List<OutboxEntry> queued = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            queued.add(o.enqueue("sms", notification("web" + i + " is overdue", i == 7 ? Severity.CRITICAL
                    : Severity.WARNING)));
        }
        FakeChannel sms = new FakeChannel();
        o.addChannel(sms, service("sms", NotificationChannel.MAX_PER_HOUR, 3));

        await().atMost(5, TimeUnit.SECONDS).until(() -> sms.sent.size() == 3);
        assertThat(sms.titles()).containsExactly("web1 is overdue", "web2 is overdue", "7 notifications held back");
        Notification summary = sms.sent.get(2);
        assertThat(summary.event()).isEqualTo(Notification.SUMMARY);
        assertThat(summary.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(summary.body()).contains("max_per_hour 3", "- web3 is overdue", "- web7 is overdue")
                .doesNotContain("web8").endsWith("and 2 more");
        OutboxEntry summaryEntry = o.entries(null, 20).stream()
                .filter(e -> e.notification().id().equals(summary.id())).findFirst().orElseThrow();
        awaitState(o, summaryEntry, State.DELIVERED);
        for (OutboxEntry held : queued.subList(2, 9)) {
            OutboxEntry e = o.entry(held.id()).orElseThrow();
            assertThat(e.state()).isEqualTo(State.SUMMARISED);
            assertThat(e.detail()).contains("summary " + summaryEntry.id());
        }

        OutboxEntry late = o.enqueue("sms", notification("web10 is overdue", Severity.WARNING));
        await().atMost(5, TimeUnit.SECONDS).until(() -> state(o, late) == State.SUMMARISED);
        assertThat(sms.sent).hasSize(3);
        String secondSummary = o.entry(late.id()).orElseThrow().detail().replaceAll(".*summary ", "");
        OutboxEntry waiting = o.entry(secondSummary).orElseThrow();
        assertThat(waiting.state()).isEqualTo(State.PENDING);
        assertThat(waiting.notification().title()).isEqualTo("1 notification held back");

        clock.advance(Duration.ofHours(1));
        o.wakeAll();
        awaitState(o, waiting, State.DELIVERED);
        assertThat(sms.titles()).last().isEqualTo("1 notification held back");
        assertThat(status(o, "sms").maxPerHour()).isEqualTo(3);
    }

    @Test
    void aRestartResumesPendingEntriesAndDoesNotResendDeliveredOnes() throws Exception {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel();
        Map<String, Object> props = service("ops");
        o.addChannel(ops, props);
        OutboxEntry delivered = o.enqueue("ops", notification("web1 is overdue"));
        awaitState(o, delivered, State.DELIVERED);
        o.removeChannel(ops, props);
        OutboxEntry pending = o.enqueue("ops", notification("web1 recovered", Severity.OK));

        // as kill -9 leaves it: no clean shutdown, the file let go without a last write
        started.remove(o);
        stores.get(0).crash();

        OutboxService again = outbox();
        FakeChannel fresh = new FakeChannel();
        again.addChannel(fresh, service("ops"));
        awaitState(again, pending, State.DELIVERED);
        assertThat(fresh.titles()).containsExactly("web1 recovered");
        assertThat(again.entry(delivered.id()).orElseThrow().state()).isEqualTo(State.DELIVERED);
        OutboxEntry next = again.enqueue("ops", notification("web2 is overdue"));
        assertThat(Long.parseLong(next.id())).as("ids are not reused").isGreaterThan(Long.parseLong(pending.id()));
    }

    @Test
    void finishedEntriesArePrunedAfterKeep() {
        settings.put("keep", 3600.0);
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.failed("HTTP 400"));
        o.addChannel(ops, service("ops"));
        OutboxEntry failed = o.enqueue("ops", notification("web1 is overdue"));
        OutboxEntry delivered = o.enqueue("ops", notification("web2 is overdue"));
        awaitState(o, delivered, State.DELIVERED);
        OutboxEntry pending = o.enqueue("sms", notification("web3 is overdue"));

        clock.advance(Duration.ofSeconds(3599));
        assertThat(o.prune()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(o.prune()).isEqualTo(2);
        assertThat(o.entry(failed.id())).isEmpty();
        assertThat(o.entry(delivered.id())).isEmpty();
        assertThat(o.entry(pending.id())).as("pending entries are never pruned").isPresent();
    }

    @Test
    void aChannelThatGoesAwayMidQueueLeavesNoThreadAndItsEntriesWait() throws Exception {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(FakeChannel.HANG);
        Map<String, Object> props = service("ops");
        o.addChannel(ops, props);
        OutboxEntry first = o.enqueue("ops", notification("web1 is overdue"));
        OutboxEntry second = o.enqueue("ops", notification("web2 is overdue"));
        assertThat(ops.hanging.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threadsNamed("hb-outbox-ops")).isEqualTo(1);

        o.removeChannel(ops, props);

        assertThat(threadsNamed("hb-outbox-ops")).isZero();
        assertThat(status(o, "ops").available()).isFalse();
        assertThat(status(o, "ops").pending()).isEqualTo(2);
        OutboxEntry interrupted = o.entry(first.id()).orElseThrow();
        assertThat(interrupted.state()).isEqualTo(State.PENDING);
        assertThat(interrupted.detail()).contains("going away");

        FakeChannel back = new FakeChannel();
        o.addChannel(back, service("ops"));
        clock.advance(Duration.ofSeconds(10));
        o.wakeAll();
        awaitState(o, second, State.DELIVERED);
        assertThat(back.titles()).containsExactly("web1 is overdue", "web2 is overdue");
    }

    @Test
    void anEntryThatKeepsFailingPastGiveUpAfterFailsForGood() {
        settings.put("giveUpAfter", 60.0);
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.retry("HTTP 503"), Delivery.retry("HTTP 503"));
        o.addChannel(ops, service("ops"));
        OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
        awaitAttempts(o, e, 1);

        clock.advance(Duration.ofSeconds(60));
        o.wakeAll();
        awaitState(o, e, State.FAILED);
        OutboxEntry failed = o.entry(e.id()).orElseThrow();
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.detail()).contains("gave up after 2 tries in 60 s", "HTTP 503");
        assertThat(log.lines).anyMatch(l -> l.startsWith("WARN") && l.contains("gave up after 2 tries"));
    }

    @Test
    void unknownChannelsAreRefusedAndChannelsWithoutABundleWait() throws Exception {
        OutboxService o = outbox();
        assertThatThrownBy(() -> o.enqueue("nope", notification("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        OutboxEntry waiting = o.enqueue("mail", notification("web1 is overdue"));

        ChannelStatus mail = status(o, "mail");
        assertThat(mail.type()).isEqualTo("email");
        assertThat(mail.available()).isFalse();
        assertThat(mail.pending()).isEqualTo(1);
        assertThat(mail.failing()).isTrue();
        assertThat(o.channels()).extracting(ChannelStatus::name).containsExactly("mail", "ops", "sms");
        assertThat(o.entry(waiting.id()).orElseThrow().state()).isEqualTo(State.PENDING);

        assertThat(o.test("mail", notification("test")).detail())
                .isEqualTo("no bundle provides channel type email (install hb.notify.email)");
        assertThat(o.test("nope", notification("test")).outcome()).isEqualTo(Delivery.Outcome.FAILED);
        assertThat(o.test("nope", notification("test")).detail()).contains("no channel named nope");
    }

    @Test
    void aTestSendsOnceThroughTheChannelAndStoresNothing() throws Exception {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.retry("HTTP 503"));
        o.addChannel(ops, service("ops"));

        assertThat(o.test("ops", notification("test message"))).isEqualTo(Delivery.retry("HTTP 503"));
        assertThat(o.test("ops", notification("test message")).outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
        assertThat(ops.sent).hasSize(2);
        assertThat(ops.threads).containsOnly("hb-outbox-ops");
        assertThat(o.entries(null, 10)).isEmpty();
        assertThat(status(o, "ops").consecutiveFailures()).isZero();
    }

    @Test
    void aFileInUseLeavesTheOutboxWorkingInMemoryAndSaysSo() throws IOException {
        try (OutboxStore other = OutboxStore.open(dir.resolve("outbox.db"))) {
            OutboxService o = outbox();
            FakeChannel ops = new FakeChannel();
            o.addChannel(ops, service("ops"));
            OutboxEntry e = o.enqueue("ops", notification("web1 is overdue"));
            awaitState(o, e, State.DELIVERED);
            assertThat(o.status().get("problem").toString()).contains("in use by another process");
            assertThat(o.status().get("file")).isNull();
            assertThat(log.lines).anyMatch(l -> l.startsWith("ERROR") && l.contains("in memory only"));
        }
    }

    @Test
    void theStatusCountsEntriesAndReportsEachChannel() {
        OutboxService o = outbox();
        FakeChannel ops = new FakeChannel().then(Delivery.failed("HTTP 403"));
        o.addChannel(ops, service("ops", NotificationChannel.MAX_PER_HOUR, "20"));
        OutboxEntry failed = o.enqueue("ops", notification("web1 is overdue"));
        OutboxEntry delivered = o.enqueue("ops", notification("web2 is overdue"));
        o.enqueue("mail", notification("web3 is overdue"));
        awaitState(o, delivered, State.DELIVERED);

        Map<String, Object> s = o.status();
        assertThat(s).containsEntry("pending", 1L).containsEntry("delivered", 1L).containsEntry("failed", 1L)
                .containsEntry("summarised", 0L).containsEntry("file", dir.resolve("outbox.db").toString())
                .containsEntry("failing_channels", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) s.get("channels");
        assertThat(channels.get("ops")).containsEntry("available", true).containsEntry("failing", false)
                .containsEntry("max_per_hour", 20L);
        assertThat(channels.get("mail")).containsEntry("available", false).containsEntry("pending", 1L);
        assertThat(state(o, failed)).isEqualTo(State.FAILED);
    }

    @Test
    void aReloadThatDropsAChannelFailsItsPendingEntriesVisibly() {
        OutboxService o = outbox();
        OutboxEntry e = o.enqueue("mail", notification("web1 is overdue"));
        o.modified(Components.config(OutboxSettings.class, Map.of("file", dir.resolve("outbox.db").toString(),
                "channels", new String[] {"ops:pushover"})));
        OutboxEntry failed = o.entry(e.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.detail()).contains("no longer in notification_channels");
        assertThatThrownBy(() -> o.enqueue("mail", notification("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
