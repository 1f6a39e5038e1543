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
    /** Why a component could not be created, as SCR's DTO would say. */
    private volatile String activationFailure;
    private final PluginScheduler scheduler = new PluginScheduler(sink, log.logger, ref -> activationFailure,
            Duration.ofMillis(300));
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

    private FakeServiceObjects<MetricSource> add(MetricSource source, Map<String, Object> properties) {
        FakeServiceObjects<MetricSource> objects = new FakeServiceObjects<>(source, properties);
        scheduler.addSource(objects, properties);
        return objects;
    }

    private void update(MetricSource source, Map<String, Object> properties) {
        scheduler.updatedSource(new FakeServiceObjects<>(source, properties), properties);
    }

    private void remove(MetricSource source, Map<String, Object> properties) {
        scheduler.removeSource(new FakeServiceObjects<>(source, properties), properties);
    }

    private static MetricSource counting(AtomicInteger calls) {
        return () -> Metrics.builder().put("n", calls.incrementAndGet()).build();
    }

    @Test
    void theFirstCollectionRunsAtOnceAndThenEveryInterval() {
        AtomicInteger calls = new AtomicInteger();
        add(counting(calls), properties("hourly", 3600));
        AtomicInteger fastCalls = new AtomicInteger();
        long added = System.nanoTime();

        add(counting(fastCalls), properties("p", 0.2));

        await().atMost(SOON).until(() -> sink.samples("hourly").size() == 1);
        await().atMost(SOON).until(() -> sink.samples("p").size() >= 4);
        List<RecordingSink.Sent> samples = sink.samples("p");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added);
        assertThat(samples.size()).as("never more often than every 0.2 s in %d ms", elapsedMillis)
                .isLessThanOrEqualTo((int) (elapsedMillis / 200) + 1);
        assertThat(samples).extracting(RecordingSink.Sent::values)
                .startsWith(Map.of("n", 1L), Map.of("n", 2L), Map.of("n", 3L));
        assertThat(samples.get(0).intervalMillis()).isEqualTo(200);
        assertThat(sink.errors("p")).isEmpty();
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin p") && l.contains("every 0.2 s"));
    }

    @Test
    void eachPluginCollectsOnADaemonThreadOfItsOwnNamedAfterIt() {
        Map<String, Thread> threads = new java.util.concurrent.ConcurrentHashMap<>();
        add(() -> {
            threads.put("alpha", Thread.currentThread());
            return Metrics.EMPTY;
        }, properties("alpha", 10));
        add(() -> {
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
        add(() -> {
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
        add(() -> {
            throw new IllegalStateException();
        }, properties("quiet", 10));

        await().atMost(SOON).until(() -> !sink.errors("quiet").isEmpty());
        assertThat(sink.errors("quiet").get(0)).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void anErrorThrownByAPluginIsReportedToo() {
        add(() -> {
            throw new NoClassDefFoundError("oshi/SystemInfo");
        }, properties("unwired", 10));

        await().atMost(SOON).until(() -> !sink.errors("unwired").isEmpty());
        assertThat(sink.errors("unwired").get(0)).isEqualTo("NoClassDefFoundError: oshi/SystemInfo");
    }

    @Test
    void collectReturningNullIsReported() {
        add(() -> null, properties("nothing", 10));

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
        add(() -> Metrics.of(huge), properties("huge", 10));

        await().atMost(SOON).until(() -> !sink.errors("huge").isEmpty());
        assertThat(sink.errors("huge").get(0)).startsWith("the values cannot be sent: plugin huge produced")
                .contains("64 datagrams");
        assertThat(sink.samples("huge")).isEmpty();
    }

    @Test
    void aHangingCollectionIsInterruptedAfterItsTimeoutAndOverlappingRunsAreSkipped() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        add(() -> {
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
        // the ticks due before the timeout (at 0.1, 0.2 and 0.3 s) find it running; the clock runs them in order
        assertThat(errors).filteredOn(e -> e.contains("is still running; this one is skipped")).hasSizeBetween(1, 3);
        assertThat(errors.indexOf("collection timed out after 0.35 s and was interrupted"))
                .as("skips come before the timeout").isGreaterThan(0);
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
        add(() -> {
            if (calls.incrementAndGet() == 1) {
                spinner.set(Thread.currentThread());
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }
            return Metrics.builder().put("call", calls.get()).build();
        }, properties("spinner", 0.1, MetricSource.TIMEOUT, 0.2));
        AtomicInteger steadyCalls = new AtomicInteger();
        add(counting(steadyCalls), properties("steady", 0.1));

        await().atMost(SOON).until(() -> sink.errors("spinner").stream().anyMatch(e -> e.startsWith("an abandoned")));
        List<String> errors = sink.errors("spinner");
        assertThat(errors).contains("collection timed out after 0.2 s and was interrupted");
        assertThat(errors).anyMatch(e -> e.contains("ignores the interrupt") && e.contains("its thread is abandoned"));
        assertThat(spinner.get().getName()).isEqualTo("hbc-plugin-spinner-abandoned");
        assertThat(spinner.get().isAlive()).isTrue();
        assertThat(calls.get()).as("never a second thread while the first spins").isEqualTo(1);
        assertThat(sink.samples("spinner")).isEmpty();

        int steadyThen = sink.samples("steady").size();
        await("the steady plugin collecting on while the spinner spins").atMost(SOON)
                .until(() -> sink.samples("steady").size() >= steadyThen + 3 && spinner.get().isAlive());

        release.set(true);
        await().atMost(SOON).until(() -> !sink.samples("spinner").isEmpty());
        assertThat(sink.samples("spinner").get(0).values()).as("the abandoned run's late result is dropped")
                .isEqualTo(Map.of("call", 2L));
    }

    @Test
    void aPluginThatTakesAMomentToEndWhenInterruptedIsNotCalledAbandoned() {
        add(() -> {
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

        add(lowSource, low);
        await().atMost(SOON).until(() -> first.get() >= 1);
        add(highSource, high);
        await().atMost(SOON).until(() -> second.get() >= 3);
        int lowCalls = first.get();

        assertThat(log.at("WARN")).anyMatch(l -> l.contains("plugin dup is registered 2 times")
                && l.contains("only service " + high.get(Constants.SERVICE_ID) + " runs"));
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> first.get() == lowCalls);

        remove(highSource, high);
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

        add(counting(newer), newerProps);
        await().atMost(SOON).until(() -> newer.get() >= 1);
        add(counting(older), olderProps);
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
        add(source, props);
        await().atMost(SOON).until(() -> calls.get() == 1);

        Map<String, Object> faster = new HashMap<>(props);
        faster.put(MetricSource.INTERVAL, "0.1");
        update(source, faster);

        await().atMost(SOON).until(() -> sink.samples("tunable").size() >= 4);
        assertThat(sink.samples("tunable").get(3).intervalMillis()).isEqualTo(100);
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin tunable now collects every 0.1 s"));
    }

    @Test
    void anUpdateWithTheSameScheduleDoesNotCollectAgain() {
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = counting(calls);
        Map<String, Object> props = properties("stable", 60);
        add(source, props);
        await().atMost(SOON).until(() -> calls.get() == 1);

        Map<String, Object> relabelled = new HashMap<>(props);
        relabelled.put("label", "other");
        update(source, relabelled);

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
        add(source, props);
        assertThat(collecting.await(5, TimeUnit.SECONDS)).isTrue();

        remove(source, props);
        // ticks due before the removal may have reported the running collection as skipping them
        int sentBefore = sink.of("leaving").size();

        await().atMost(SOON).untilTrue(interrupted);
        release.countDown();
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> sink.of("leaving").size() == sentBefore);
        assertThat(sink.samples("leaving")).as("the late result").isEmpty();
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
        add(source, props);
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

        Thread remover = new Thread(() -> remove(source, props));
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
        add(counting(calls), properties("one", 0.05));
        add(() -> {
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

        add(counting(calls), properties("late", 0.05));

        await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> calls.get() == 0);
    }

    @Test
    void aServiceWithoutAValidNameIsIgnored() {
        AtomicInteger calls = new AtomicInteger();
        Map<String, Object> props = properties("bad name!", 0.05);

        add(counting(calls), props);
        remove(counting(calls), props);

        await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> calls.get() == 0);
        assertThat(log.at("ERROR")).anyMatch(l -> l.contains("without a valid heartbeat.plugin.name property (bad name!)"));
    }

    @Test
    void anUnusableIntervalFallsBackToTheDefaultWithAWarning() {
        add(() -> Metrics.EMPTY, properties("odd", 1, MetricSource.INTERVAL, "soon"));
        add(() -> Metrics.EMPTY, properties("negative", 1, MetricSource.INTERVAL, -5,
                MetricSource.TIMEOUT, 0));

        await().atMost(SOON).until(() -> sink.samples("odd").size() == 1 && sink.samples("negative").size() == 1);
        assertThat(sink.samples("odd").get(0).intervalMillis()).isEqualTo(60_000);
        assertThat(sink.samples("negative").get(0).intervalMillis()).isEqualTo(60_000);
        assertThat(log.at("WARN")).anyMatch(l -> l.contains("plugin odd: interval \"soon\" is not a number of seconds"))
                .anyMatch(l -> l.contains("plugin negative: timeout \"0\""));
    }

    @Test
    void withoutATimeoutACollectionMayTakeFourFifthsOfTheIntervalSoATimeoutCostsNoOtherCollection() {
        AtomicInteger calls = new AtomicInteger();
        add(() -> {
            if (calls.incrementAndGet() == 1) {
                Thread.sleep(60_000);
            }
            return Metrics.builder().put("call", calls.get()).build();
        }, properties("hesitant", 2.5));

        await().atMost(Duration.ofSeconds(15)).until(() -> !sink.samples("hesitant").isEmpty());
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin hesitant") && l.contains("every 2.5 s (timeout 2 s)"));
        assertThat(sink.errors("hesitant")).as("interrupted before the next one is due, which then runs")
                .containsExactly("collection timed out after 2 s and was interrupted");
        assertThat(sink.samples("hesitant").get(0).values()).isEqualTo(Map.of("call", 2L));
    }

    @Test
    void aTimeoutGivenInTheConfigurationIsKept() {
        add(() -> Metrics.EMPTY, properties("patient", 10, MetricSource.TIMEOUT, 10.0));
        add(() -> Metrics.EMPTY, properties("hourly", 3600));

        await().atMost(SOON).until(() -> log.at("INFO").stream().filter(l -> l.contains("collects every")).count() == 2);
        assertThat(log.at("INFO")).anyMatch(l -> l.contains("plugin patient") && l.contains("(timeout 10 s)"))
                .anyMatch(l -> l.contains("plugin hourly") && l.contains("every 3600 s (timeout 30 s)"));
    }

    @Test
    void aPluginWhoseComponentCannotBeCreatedIsReportedOnceInOneLineAndNeverRuns() {
        activationFailure = """
                java.lang.reflect.InvocationTargetException
                	at java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native Method)
                	at org.apache.felix.scr.impl.inject.internal.ComponentConstructorImpl.newInstance(X.java:1)
                Caused by: java.lang.IllegalStateException: no sensor at /dev/sensor0
                	at com.example.Broken.<init>(Broken.java:12)
                \t... 40 more
                """;
        Map<String, Object> props = properties("broken_ctor", 0.1);

        FakeServiceObjects<MetricSource> objects = add(null, props);
        update(null, new HashMap<>(props));

        assertThat(log.at("ERROR")).containsExactly("ERROR plugin broken_ctor (bundle " + FakeServiceObjects.BUNDLE
                + " " + FakeServiceObjects.VERSION + ") could not be created: IllegalStateException: no sensor at"
                + " /dev/sensor0; it stays off until its bundle or configuration changes");
        assertThat(objects.gets).as("asked once").hasValue(1);
        assertThat(log.lines).noneMatch(l -> l.contains("collects every"));
        await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> sink.of("broken_ctor").isEmpty());
        assertThat(pluginThreads()).noneMatch(t -> t.getName().contains("broken_ctor"));
    }

    @Test
    void whenTheBestServiceCannotBeCreatedTheNextOneRuns() {
        AtomicInteger calls = new AtomicInteger();
        add(null, properties("dup2", 60, Constants.SERVICE_RANKING, 5));
        add(counting(calls), properties("dup2", 60));

        await().atMost(SOON).until(() -> calls.get() == 1);
        assertThat(log.at("ERROR")).singleElement().asString().contains("plugin dup2").contains("see the log above");
    }

    @Test
    void aRemovedPluginsServiceObjectIsReleased() {
        AtomicInteger calls = new AtomicInteger();
        MetricSource source = counting(calls);
        Map<String, Object> props = properties("tidy", 60);
        FakeServiceObjects<MetricSource> objects = new FakeServiceObjects<>(source, props);
        scheduler.addSource(objects, props);
        await().atMost(SOON).until(() -> calls.get() == 1);

        scheduler.removeSource(objects, props);

        assertThat(objects.gets).hasValue(1);
        assertThat(objects.ungets).hasValue(1);
    }

    @Test
    void aRemovedPluginWhoseThreadIgnoresTheInterruptIsReportedUntilTheThreadEnds() {
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> spinner = new AtomicReference<>();
        cleanups.add(() -> release.set(true));
        MetricSource source = () -> {
            spinner.set(Thread.currentThread());
            while (!release.get()) {
                Thread.onSpinWait();
            }
            return Metrics.EMPTY;
        };
        Map<String, Object> props = properties("stubborn", 60, MetricSource.TIMEOUT, 30);
        add(source, props);
        await().atMost(SOON).until(() -> spinner.get() != null);

        remove(source, props);

        String bundle = "(bundle " + FakeServiceObjects.BUNDLE + " " + FakeServiceObjects.VERSION + ")";
        await("two reminders, 0.3 s apart").atMost(SOON).until(() -> log.at("WARN").stream()
                .filter(l -> l.startsWith("WARN plugin stubborn " + bundle + " was stopped")).count() >= 2);
        assertThat(log.at("WARN")).filteredOn(l -> l.contains("plugin stubborn"))
                .allMatch(l -> l.contains("its collection thread hbc-plugin-stubborn-abandoned ignores the interrupt"
                        + " and still runs that bundle's code"));
        assertThat(spinner.get().getName()).isEqualTo("hbc-plugin-stubborn-abandoned");
        assertThat(log.at("INFO")).noneMatch(l -> l.contains("ended after"));

        release.set(true);

        await().atMost(SOON).until(() -> log.at("INFO").stream()
                .anyMatch(l -> l.startsWith("INFO plugin stubborn " + bundle
                        + ": its abandoned collection thread hbc-plugin-stubborn-abandoned ended after ")));
        assertThat(sink.of("stubborn")).as("nothing sent after the removal").isEmpty();
    }

    @Test
    void theRootCauseOfAStackTraceIsItsInnermostCause() {
        assertThat(PluginScheduler.rootCause("java.lang.IllegalStateException: outer\n\tat a.B.c(B.java:1)\n"))
                .isEqualTo("IllegalStateException: outer");
        assertThat(PluginScheduler.rootCause("x.Y: a\nCaused by: p.Q: b\n\tat z\nCaused by: java.io.IOException: c: d\n"))
                .isEqualTo("IOException: c: d");
        assertThat(PluginScheduler.rootCause("java.lang.NullPointerException\n")).isEqualTo("NullPointerException");
        assertThat(PluginScheduler.rootCause(null)).isNull();
        assertThat(PluginScheduler.rootCause(" ")).isNull();
    }

    private static List<Thread> pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("hbc-plugin-"))
                .toList();
    }
}
