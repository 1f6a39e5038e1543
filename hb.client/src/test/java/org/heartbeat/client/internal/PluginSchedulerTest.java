package org.heartbeat.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.heartbeat.api.MetricSource;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

/** The scheduler built with {@code new}, plugins as lambdas, and a sink that records what would be sent. */
class PluginSchedulerTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    private final RecordingSink sink = new RecordingSink();
    private final RecordingLogger log = new RecordingLogger();
    private final PluginScheduler scheduler = new PluginScheduler(sink, log.logger);
    private final List<Runnable> cleanups = new ArrayList<>();
    private long nextServiceId = 100;

    @AfterEach
    void tearDown() {
        scheduler.deactivate();
        cleanups.forEach(Runnable::run);
    }

    private Map<String, Object> properties(String name, double interval, Object... more) {
        Map<String, Object> p = new HashMap<>();
        p.put(MetricSource.NAME, name);
        p.put(MetricSource.INTERVAL, interval);
        p.put(Constants.SERVICE_ID, nextServiceId++);
        p.put(Constants.SERVICE_BUNDLEID, 7L);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return p;
    }

    private static MetricSource counting(AtomicInteger calls) {
        return () -> Metrics.builder().put("n", calls.incrementAndGet()).build();
    }

    @Test
    void theFirstCollectionRunsAtOnceAndThenEveryInterval() {
        AtomicInteger calls = new AtomicInteger();
        long added = System.nanoTime();

        scheduler.addSource(counting(calls), properties("p", 0.8));

        await().atMost(SOON).until(() -> sink.samples("p").size() >= 3);
        List<RecordingSink.Sent> samples = sink.samples("p");
        assertThat(TimeUnit.NANOSECONDS.toMillis(samples.get(0).nanos() - added)).as("first at once").isLessThan(400);
        for (int i = 1; i < 3; i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(samples.get(i).nanos() - samples.get(i - 1).nanos());
            assertThat(gap).as("gap %d", i).isBetween(500L, 1200L);
        }
        assertThat(samples.get(0).values()).isEqualTo(Map.of("n", 1L));
        assertThat(samples.get(0).intervalMillis()).isEqualTo(800);
        assertThat(sink.errors("p")).isEmpty();
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin p") && l.contains("every 0.8 s"));
    }

    @Test
    void eachPluginCollectsOnADaemonThreadOfItsOwnNamedAfterIt() {
        Map<String, Thread> threads = new java.util.concurrent.ConcurrentHashMap<>();
        scheduler.addSource(() -> {
            threads.put("alpha", Thread.currentThread());
            return Metrics.EMPTY;
        }, properties("alpha", 10));
        scheduler.addSource(() -> {
            threads.put("beta", Thread.currentThread());
            return Metrics.EMPTY;
        }, properties("beta", 10));

        await().atMost(SOON).until(() -> threads.size() == 2);
        assertThat(threads.get("alpha").getName()).isEqualTo("hbc-plugin-alpha");
        assertThat(threads.get("beta").getName()).isEqualTo("hbc-plugin-beta");
        assertThat(threads.get("alpha")).isNotSameAs(threads.get("beta"));
        assertThat(threads.values()).allMatch(Thread::isDaemon);
        assertThat(threads.get("alpha").getContextClassLoader()).isSameAs(getClass().getClassLoader());
    }

    @Test
    void aPluginThatThrowsIsReportedWithItsMessageAndRunsAgainOnSchedule() {
        AtomicInteger calls = new AtomicInteger();
        scheduler.addSource(() -> {
            calls.incrementAndGet();
            throw new IOException("/proc/stat is not readable");
        }, properties("broken", 0.1));

        await().atMost(SOON).until(() -> sink.errors("broken").size() >= 3);
        assertThat(sink.errors("broken")).allMatch("IOException: /proc/stat is not readable"::equals);
        assertThat(sink.of("broken").get(0).intervalMillis()).isEqualTo(100);
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(log.at("WARN")).contains("WARN plugin broken: IOException: /proc/stat is not readable");
    }

    @Test
    void anExceptionWithoutAMessageIsReportedByItsClassName() {
        scheduler.addSource(() -> {
            throw new IllegalStateException();
        }, properties("quiet", 10));

        await().atMost(SOON).until(() -> !sink.errors("quiet").isEmpty());
        assertThat(sink.errors("quiet").get(0)).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void anErrorThrownByAPluginIsReportedToo() {
        scheduler.addSource(() -> {
            throw new NoClassDefFoundError("oshi/SystemInfo");
        }, properties("unwired", 10));

        await().atMost(SOON).until(() -> !sink.errors("unwired").isEmpty());
        assertThat(sink.errors("unwired").get(0)).isEqualTo("NoClassDefFoundError: oshi/SystemInfo");
    }

    @Test
    void collectReturningNullIsReported() {
        scheduler.addSource(() -> null, properties("nothing", 10));

        await().atMost(SOON).until(() -> !sink.errors("nothing").isEmpty());
        assertThat(sink.errors("nothing")).containsExactly("collect() returned null");
        assertThat(sink.samples("nothing")).isEmpty();
    }

    @Test
    void valuesNeedingMoreThan64DatagramsAreReportedInsteadOfSent() {
        Map<String, Object> huge = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            huge.put("k" + i, "x".repeat(1000));
        }
        scheduler.addSource(() -> Metrics.of(huge), properties("huge", 10));

        await().atMost(SOON).until(() -> !sink.errors("huge").isEmpty());
        assertThat(sink.errors("huge").get(0)).startsWith("the values cannot be sent: plugin huge produced")
                .contains("64 datagrams");
        assertThat(sink.samples("huge")).isEmpty();
    }

    @Test
    void aHangingCollectionIsInterruptedAfterItsTimeoutAndOverlappingRunsAreSkipped() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        scheduler.addSource(() -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                }
            }
            return Metrics.builder().put("call", calls.get()).build();
        }, properties("sleepy", 0.1, MetricSource.TIMEOUT, 0.35));

        await().atMost(SOON).until(() -> !sink.samples("sleepy").isEmpty());
        assertThat(interrupted).isTrue();
        List<String> errors = sink.errors("sleepy");
        assertThat(errors).filteredOn(e -> e.contains("is still running; this one is skipped")).hasSizeBetween(2, 4);
        assertThat(errors).filteredOn(e -> e.equals("collection timed out after 0.35 s and was interrupted"))
                .hasSize(1);
        assertThat(errors).as("the interrupted run's own exception is not reported")
                .noneMatch(e -> e.contains("InterruptedException"));
        assertThat(sink.samples("sleepy").get(0).values()).isEqualTo(Map.of("call", 2L));
    }

    @Test
    void aPluginSpinningThroughInterruptsIsAbandonedAndDelaysNoOtherPlugin() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> spinner = new AtomicReference<>();
        cleanups.add(() -> release.set(true));
        AtomicInteger calls = new AtomicInteger();
        scheduler.addSource(() -> {
            if (calls.incrementAndGet() == 1) {
                spinner.set(Thread.currentThread());
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }
            return Metrics.builder().put("call", calls.get()).build();
        }, properties("spinner", 0.1, MetricSource.TIMEOUT, 0.2));
        AtomicInteger steadyCalls = new AtomicInteger();
        scheduler.addSource(counting(steadyCalls), properties("steady", 0.1));

        await().atMost(SOON).until(() -> sink.errors("spinner").stream().anyMatch(e -> e.startsWith("an abandoned")));
        List<String> errors = sink.errors("spinner");
        assertThat(errors).contains("collection timed out after 0.2 s and was interrupted");
        assertThat(errors).anyMatch(e -> e.contains("ignores the interrupt") && e.contains("its thread is abandoned"));
        assertThat(spinner.get().getName()).isEqualTo("hbc-plugin-spinner-abandoned");
        assertThat(spinner.get().isAlive()).isTrue();
        assertThat(calls.get()).as("never a second thread while the first spins").isEqualTo(1);
        assertThat(sink.samples("spinner")).isEmpty();

        List<RecordingSink.Sent> steady = sink.samples("steady");
        assertThat(steady.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < steady.size(); i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(steady.get(i).nanos() - steady.get(i - 1).nanos());
            assertThat(gap).as("steady gap %d (interval 100 ms)", i).isLessThan(600);
        }

        release.set(true);
        await().atMost(SOON).until(() -> !sink.samples("spinner").isEmpty());
        assertThat(sink.samples("spinner").get(0).values()).as("the abandoned run's late result is dropped")
                .isEqualTo(Map.of("call", 2L));
    }

    @Test
    void aPluginThatTakesAMomentToEndWhenInterruptedIsNotCalledAbandoned() {
        scheduler.addSource(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.sleep(300); // closing what it had open
                throw e;
            }
            return Metrics.EMPTY;
        }, properties("punctual", 0.1, MetricSource.TIMEOUT, 0.1));

        await().atMost(SOON).until(() -> sink.errors("punctual").stream().filter(e -> e.contains("timed out")).count() >= 3);
        assertThat(sink.errors("punctual")).anyMatch(e -> e.contains("timed out and is still ending; this one is skipped"));
        assertThat(sink.errors("punctual")).noneMatch(e -> e.contains("abandoned"));
        assertThat(pluginThreads()).noneMatch(t -> t.getName().endsWith("-abandoned"));
    }

    @Test
    void ofTwoServicesWithOneNameOnlyTheBestRankedRunsAndTheOtherTakesOverWhenItGoes() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Map<String, Object> low = properties("dup", 0.1);
        Map<String, Object> high = properties("dup", 0.1, Constants.SERVICE_RANKING, 5);
        MetricSource lowSource = () -> Metrics.builder().put("from", "low").put("n", first.incrementAndGet()).build();
        MetricSource highSource = () -> Metrics.builder().put("from", "high").put("n", second.incrementAndGet())
                .build();

        scheduler.addSource(lowSource, low);
        await().atMost(SOON).until(() -> first.get() >= 1);
        scheduler.addSource(highSource, high);
        await().atMost(SOON).until(() -> second.get() >= 3);
        int lowCalls = first.get();

        assertThat(log.at("WARN")).anyMatch(l -> l.contains("plugin dup is registered 2 times")
                && l.contains("only service " + high.get(Constants.SERVICE_ID) + " runs"));
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> first.get() == lowCalls);

        scheduler.removeSource(highSource, high);
        await().atMost(SOON).until(() -> first.get() >= lowCalls + 2);
        int highCalls = second.get();
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> second.get() == highCalls);
    }

    @Test
    void withEqualRankingTheLowerServiceIdRuns() {
        AtomicInteger older = new AtomicInteger();
        AtomicInteger newer = new AtomicInteger();
        Map<String, Object> olderProps = properties("twin", 0.1);
        Map<String, Object> newerProps = properties("twin", 0.1);

        scheduler.addSource(counting(newer), newerProps);
        await().atMost(SOON).until(() -> newer.get() >= 1);
        scheduler.addSource(counting(older), olderProps);
        await().atMost(SOON).until(() -> older.get() >= 3);
        int newerCalls = newer.get();

        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> newer.get() == newerCalls);
        assertThat(log.at("WARN")).anyMatch(l -> l.contains("only service " + olderProps.get(Constants.SERVICE_ID)));
    }

    @Test
    void aNewIntervalReschedulesThePlugin() {
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = counting(calls);
        Map<String, Object> props = properties("tunable", 60);
        scheduler.addSource(source, props);
        await().atMost(SOON).until(() -> calls.get() == 1);

        Map<String, Object> faster = new HashMap<>(props);
        faster.put(MetricSource.INTERVAL, "0.1");
        scheduler.updatedSource(source, faster);

        await().atMost(SOON).until(() -> sink.samples("tunable").size() >= 4);
        assertThat(sink.samples("tunable").get(3).intervalMillis()).isEqualTo(100);
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin tunable now collects every 0.1 s"));
    }

    @Test
    void anUpdateWithTheSameScheduleDoesNotCollectAgain() {
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = counting(calls);
        Map<String, Object> props = properties("stable", 60);
        scheduler.addSource(source, props);
        await().atMost(SOON).until(() -> calls.get() == 1);

        Map<String, Object> relabelled = new HashMap<>(props);
        relabelled.put("label", "other");
        scheduler.updatedSource(source, relabelled);

        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> calls.get() == 1);
    }

    @Test
    void aRemovedPluginStopsAndAStoppedRunnerSendsNothingMore() throws Exception {
        CountDownLatch collecting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = () -> {
            calls.incrementAndGet();
            collecting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return Metrics.builder().put("late", true).build();
        };
        Map<String, Object> props = properties("leaving", 0.1, MetricSource.TIMEOUT, 30);
        scheduler.addSource(source, props);
        assertThat(collecting.await(5, TimeUnit.SECONDS)).isTrue();

        scheduler.removeSource(source, props);

        await().atMost(SOON).untilTrue(interrupted);
        release.countDown();
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> sink.of("leaving").isEmpty());
        assertThat(calls.get()).isEqualTo(1);
        assertThat(log.at("INFO")).contains("INFO plugin leaving removed");
    }

    @Test
    void stoppingWaitsForASendInFlightAndNothingFollowsIt() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sink.onSample = () -> {
            sending.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = counting(calls);
        Map<String, Object> props = properties("inflight", 0.05);
        scheduler.addSource(source, props);
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

        Thread remover = new Thread(() -> scheduler.removeSource(source, props));
        remover.start();
        await().during(Duration.ofMillis(200)).atMost(SOON).until(remover::isAlive);
        release.countDown();
        remover.join(5000);

        assertThat(remover.isAlive()).isFalse();
        assertThat(sink.samples("inflight")).isNotEmpty();
        int sent = sink.of("inflight").size();
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> sink.of("inflight").size() == sent);
    }

    @Test
    void deactivationStopsEveryThread() {
        AtomicInteger calls = new AtomicInteger();
        scheduler.addSource(counting(calls), properties("one", 0.05));
        scheduler.addSource(() -> {
            Thread.sleep(60_000);
            return Metrics.EMPTY;
        }, properties("two", 0.05, MetricSource.TIMEOUT, 30));
        await().atMost(SOON).until(() -> calls.get() >= 2 && pluginThreads().size() >= 2);

        scheduler.deactivate();

        await().atMost(SOON).until(() -> pluginThreads().isEmpty());
        int sentBefore = sink.sent.size();
        int callsBefore = calls.get();
        await().during(Duration.ofMillis(300)).atMost(SOON)
                .until(() -> sink.sent.size() == sentBefore && calls.get() == callsBefore);
    }

    @Test
    void aSourceAddedAfterDeactivationNeverRuns() {
        AtomicInteger calls = new AtomicInteger();
        scheduler.deactivate();

        scheduler.addSource(counting(calls), properties("late", 0.05));

        await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> calls.get() == 0);
    }

    @Test
    void aServiceWithoutAValidNameIsIgnored() {
        AtomicInteger calls = new AtomicInteger();
        Map<String, Object> props = properties("bad name!", 0.05);

        scheduler.addSource(counting(calls), props);
        scheduler.removeSource(counting(calls), props);

        await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> calls.get() == 0);
        assertThat(log.at("ERROR")).anyMatch(l -> l.contains("without a valid heartbeat.plugin.name property (bad name!)"));
    }

    @Test
    void anUnusableIntervalFallsBackToTheDefaultWithAWarning() {
        scheduler.addSource(() -> Metrics.EMPTY, properties("odd", 1, MetricSource.INTERVAL, "soon"));
        scheduler.addSource(() -> Metrics.EMPTY, properties("negative", 1, MetricSource.INTERVAL, -5,
                MetricSource.TIMEOUT, 0));

        await().atMost(SOON).until(() -> sink.samples("odd").size() == 1 && sink.samples("negative").size() == 1);
        assertThat(sink.samples("odd").get(0).intervalMillis()).isEqualTo(60_000);
        assertThat(sink.samples("negative").get(0).intervalMillis()).isEqualTo(60_000);
        assertThat(log.at("WARN")).anyMatch(l -> l.contains("plugin odd: interval \"soon\" is not a number of seconds"))
                .anyMatch(l -> l.contains("plugin negative: timeout \"0\""));
    }

    private static List<Thread> pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("hbc-plugin-"))
                .toList();
    }
}
