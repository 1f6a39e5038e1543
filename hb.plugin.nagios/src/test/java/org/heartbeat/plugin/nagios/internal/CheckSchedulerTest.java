package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckSchedulerTest {
    private static final long T0 = 1_718_000_000_000L;

    private final AtomicLong clock = new AtomicLong(T0);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final FakeRunner runner = new FakeRunner();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Answers every check with OK and its name, and remembers which ran. */
    private class FakeRunner implements CheckRunner {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean killed = new AtomicBoolean();

        @Override
        public CheckResult run(CheckSpec check) throws InterruptedException {
            ran.add(check.name());
            return new CheckResult(State.OK, PluginOutput.of("OK " + check.name()), clock.get(), 1);
        }

        @Override
        public void killAll() {
            killed.set(true);
        }
    }

    private static NagiosConfig config(Object... keysAndValues) {
        Map<String, Object> p = new HashMap<>(Map.of("interval", 60.0, "timeout", 30.0));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return NagiosConfig.parse(p);
    }

    private CheckScheduler scheduler(NagiosConfig config, CheckRunner r) {
        return new CheckScheduler(config, r, pool, clock::get);
    }

    private List<String> collect(CheckScheduler s) throws InterruptedException {
        runner.ran.clear();
        s.collect();
        return List.copyOf(runner.ran);
    }

    @Test
    void everyCheckRunsInTheFirstCollectionThenWhenDue() throws InterruptedException {
        CheckScheduler s = scheduler(config("checks.load", "c", "checks.disk.command", "c", "checks.disk.interval",
                300, "checks.slow.command", "c", "checks.slow.interval", 90), runner);
        assertThat(collect(s)).containsExactlyInAnyOrder("load", "disk", "slow");
        clock.addAndGet(60_000);
        assertThat(collect(s)).containsExactly("load");
        clock.addAndGet(60_000);
        assertThat(collect(s)).containsExactlyInAnyOrder("load", "slow");
        clock.addAndGet(60_000);
        assertThat(collect(s)).containsExactly("load");
        clock.addAndGet(60_000);
        assertThat(collect(s)).containsExactlyInAnyOrder("load", "slow");
        clock.addAndGet(60_000 - 300); // a collection a little early still counts as the fifth
        assertThat(collect(s)).containsExactlyInAnyOrder("load", "disk");
        clock.addAndGet(60_000);
        assertThat(collect(s)).containsExactlyInAnyOrder("load", "slow");
    }

    @Test
    void aCheckThatIsNotDueReportsItsPreviousResultWithTheTimeItRan() throws InterruptedException {
        CheckScheduler s = scheduler(config("checks.load", "c", "checks.disk.command", "c", "checks.disk.interval",
                300), runner);
        s.collect();
        clock.addAndGet(60_000);
        Metrics m = s.collect();
        assertThat(m.get(MetricPath.parse("/checks/disk/checked"))).contains(T0);
        assertThat(m.get(MetricPath.parse("/checks/disk/output"))).contains("OK disk");
        assertThat(m.get(MetricPath.parse("/checks/load/checked"))).contains(T0 + 60_000);
    }

    @Test
    void theShortestCadenceIsThePluginInterval() throws InterruptedException {
        CheckScheduler s = scheduler(config("checks.fast.command", "c", "checks.fast.interval", 5), runner);
        assertThat(collect(s)).containsExactly("fast");
        clock.addAndGet(10_000);
        assertThat(collect(s)).isEmpty();
        clock.addAndGet(50_000);
        assertThat(collect(s)).containsExactly("fast");
    }

    @Test
    void invalidChecksAreUnknownAndTheOthersRun() throws InterruptedException {
        CheckScheduler s = scheduler(config("checks.good", "c", "checks.bad", "c | d"), runner);
        Metrics m = s.collect();
        assertThat(runner.ran).containsExactly("good");
        assertThat(m.get(MetricPath.parse("/checks/bad/status"))).contains("UNKNOWN");
        assertThat(m.get(MetricPath.parse("/checks/bad/output")).orElseThrow().toString())
                .startsWith("invalid check configuration: the command uses a pipe ('|')");
        assertThat(m.get(MetricPath.parse("/checks/good/status"))).contains("OK");
        assertThat(m.get(MetricPath.parse("/worst_status"))).contains("UNKNOWN");
    }

    @Test
    void aConfigurationWithoutChecksFailsEveryCollection() {
        CheckScheduler s = scheduler(config(), runner);
        assertThatThrownBy(s::collect).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no checks configured");
        CheckScheduler relative = scheduler(config("checks.x", "c", "plugin_path", "libexec"), runner);
        assertThatThrownBy(relative::collect).hasMessage("plugin_path: \"libexec\" is not an absolute directory");
        assertThat(runner.ran).isEmpty();
    }

    @Test
    void checksRunSideBySide() throws InterruptedException {
        CyclicBarrier all = new CyclicBarrier(3);
        CheckRunner together = new FakeRunner() {
            @Override
            public CheckResult run(CheckSpec check) throws InterruptedException {
                try {
                    all.await(10, TimeUnit.SECONDS); // each waits for the other two: one at a time would never pass
                    return super.run(check);
                } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                    return new CheckResult(State.CRITICAL, PluginOutput.of("alone"), clock.get(), 1);
                }
            }
        };
        Metrics m = scheduler(config("checks.a", "c", "checks.b", "c", "checks.c", "c"), together).collect();
        assertThat(m.get(MetricPath.of("worst_status"))).contains("OK");
    }

    @Test
    void aRunnerThatFailsSpoilsOnlyItsCheck() throws InterruptedException {
        CheckRunner failing = new FakeRunner() {
            @Override
            public CheckResult run(CheckSpec check) throws InterruptedException {
                if (check.name().equals("b")) {
                    throw new IllegalStateException("broken");
                }
                return super.run(check);
            }
        };
        Metrics m = scheduler(config("checks.a", "c", "checks.b", "c"), failing).collect();
        assertThat(m.get(MetricPath.parse("/checks/a/status"))).contains("OK");
        assertThat(m.get(MetricPath.parse("/checks/b/status"))).contains("UNKNOWN");
        assertThat(m.get(MetricPath.parse("/checks/b/output")))
                .contains("the check could not be run: java.lang.IllegalStateException: broken");
    }

    @Test
    void anInterruptedCollectionCancelsItsChecksWhichRunAgainNextTime() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean hang = new AtomicBoolean(true);
        FakeRunner hanging = new FakeRunner() {
            @Override
            public CheckResult run(CheckSpec check) throws InterruptedException {
                if (check.name().equals("slow") && hang.get()) {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }
                return super.run(check);
            }
        };
        CheckScheduler s = scheduler(config("checks.quick", "c", "checks.slow", "c"), hanging);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread collector = new Thread(() -> {
            try {
                s.collect();
                outcome.complete("returned");
            } catch (InterruptedException e) {
                outcome.complete("interrupted, flag " + Thread.currentThread().isInterrupted());
            } catch (RuntimeException e) {
                outcome.complete(e.toString());
            }
        });
        collector.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // quick runs beside slow; only once it is done is slow the one check the interrupt cancels
        await().atMost(Duration.ofSeconds(10)).until(() -> hanging.ran.contains("quick"));
        collector.interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted, flag true");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();

        hang.set(false);
        hanging.ran.clear();
        clock.addAndGet(1_000);
        s.collect();
        assertThat(hanging.ran).containsExactly("slow");
    }

    @Test
    void anInterruptedCollectionKillsItsProcesses() throws Exception {
        Path pid = dir.resolve("pid");
        Scripts.write(dir, "check_hang", Scripts.writePid("$$", pid) + "\nsleep 300");
        NagiosConfig config = config("checks.hang", "check_hang", "plugin_path", dir.toString());
        CheckScheduler s = new CheckScheduler(config, new ProcessCheckRunner(new CommandResolver(config.pluginPath(),
                null), pool, clock::get, 1024), pool, clock::get);
        Thread collector = new Thread(() -> {
            try {
                s.collect();
            } catch (InterruptedException e) {
                // expected
            }
        });
        collector.start();
        long check = Scripts.awaitPid(pid);
        collector.interrupt();
        Scripts.awaitDead(check);
        collector.join(10_000);
        assertThat(collector.isAlive()).isFalse();
    }

    @Test
    void closeKillsTheRunningChecksAndEndsCollecting() {
        CheckScheduler s = scheduler(config("checks.a", "c"), runner);
        s.close();
        assertThat(runner.killed).isTrue();
        assertThat(pool.isShutdown()).isTrue();
        assertThatThrownBy(s::collect).isInstanceOf(IllegalStateException.class)
                .hasMessage("the nagios plugin has been stopped");
    }
}
