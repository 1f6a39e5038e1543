package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessCheckRunnerTest {
    private static final long CLOCK = 1_718_000_000_000L;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private ProcessCheckRunner runner() {
        return new ProcessCheckRunner(new CommandResolver(List.of(dir), "/usr/bin:/bin"), pool, () -> CLOCK,
                ProcessCheckRunner.OUTPUT_CAP);
    }

    private CheckResult run(String script, long timeoutMillis) throws InterruptedException {
        Scripts.write(dir, "check_test", script);
        return runner().run(Scripts.check("test", timeoutMillis, "check_test"));
    }

    @ParameterizedTest
    @CsvSource({"0, OK", "1, WARNING", "2, CRITICAL", "3, UNKNOWN"})
    void theExitCodeIsTheState(int code, State state) throws InterruptedException {
        CheckResult r = run("echo '" + state + " - all said | a=1;2;3'\nexit " + code, 5000);
        assertThat(r.state()).isEqualTo(state);
        assertThat(r.state().code()).isEqualTo(code);
        assertThat(r.output().text()).isEqualTo(state + " - all said");
        assertThat(r.output().perfdata()).containsExactly(new PerfData("a", 1.0, "", "2", "3", null, null));
        assertThat(r.checkedMillis()).isEqualTo(CLOCK);
        assertThat(r.durationMillis()).isBetween(0L, 5000L);
    }

    @ParameterizedTest
    @CsvSource({"4", "127", "126", "255"})
    void anyOtherExitCodeIsUnknown(int code) throws InterruptedException {
        CheckResult r = run("echo 'OK - fine | a=1'\nexit " + code, 5000);
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.output().text()).isEqualTo("(Return code of " + code + " is out of bounds) OK - fine");
        assertThat(r.output().perfdata()).extracting(PerfData::label).containsExactly("a");
    }

    @Test
    void deathBySignalIsUnknown() throws InterruptedException {
        CheckResult r = run("echo 'OK so far'\nkill -TERM $$\nsleep 5", 5000);
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.output().text())
                .isEqualTo("(Return code of 143 is out of bounds, as when killed by signal 15) OK so far");
    }

    @Test
    void aCheckThatTakesTooLongIsKilledAndCritical() throws InterruptedException {
        Path pid = dir.resolve("pid");
        long start = System.nanoTime();
        CheckResult r = run(Scripts.writePid("$$", pid) + "\necho 'OK'\nsleep 60", 700);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.output()).isEqualTo(PluginOutput.of("check timed out after 0.7 s"));
        assertThat(r.durationMillis()).isBetween(700L, 5000L);
        Scripts.awaitDead(Scripts.awaitPid(pid));
    }

    @Test
    void aTimeoutKillsTheWholeTreeOfProcesses() throws InterruptedException {
        Path child = dir.resolve("child");
        Path grandchild = dir.resolve("grandchild");
        Scripts.write(dir, "helper", "sleep 300 &\n" + Scripts.writePid("$!", grandchild) + "\nwait");
        CheckResult r = run(dir.resolve("helper") + " &\n" + Scripts.writePid("$!", child) + "\nwait", 1500);
        assertThat(r.output().text()).isEqualTo("check timed out after 1.5 s");
        // both wrote their ids before the timeout, so both ran; neither may survive it
        Scripts.awaitDead(Scripts.awaitPid(child));
        Scripts.awaitDead(Scripts.awaitPid(grandchild));
    }

    @Test
    void theTimeoutIsSaidInWholeSecondsWhenWhole() {
        assertThat(ProcessCheckRunner.seconds(10_000)).isEqualTo("10");
        assertThat(ProcessCheckRunner.seconds(2_500)).isEqualTo("2.5");
    }

    @Test
    void aChattyCheckNeitherBlocksNorFloods() throws InterruptedException {
        // 2 MB on each stream: far more than a pipe holds, so a check whose output is not read would hang
        CheckResult r = run("yes 'an error' | head -c 2000000 >&2\necho 'OK - chatty | n=1'\n"
                + "yes 'more of the same' | head -n 100000\nexit 0", 20_000);
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(r.output().text()).isEqualTo("OK - chatty");
        assertThat(r.output().perfdata()).extracting(PerfData::label).containsExactly("n");
        assertThat(r.output().longText()).startsWith("more of the same\nmore of the same\n")
                .endsWith("more of the same");
        assertThat(r.output().longText().length()).isLessThanOrEqualTo(ProcessCheckRunner.OUTPUT_CAP);
        assertThat(r.output().longText().split("\n")).containsOnly("more of the same");
    }

    @Test
    void theCapCutsBackToWholeLinesOrWords() {
        assertThat(capture("OK | a=1 b=22 c=333", 13)).isEqualTo("OK | a=1");
        assertThat(capture("OK | a=1\nline two\nline three", 20)).isEqualTo("OK | a=1\nline two");
        assertThat(capture("OK|a=1", 4)).isEqualTo("OK|a");
        assertThat(capture("OK | a=1", 100)).isEqualTo("OK | a=1");
        assertThat(capture("OK | a=1 ", 9)).isEqualTo("OK | a=1 ");
    }

    private static String capture(String printed, int cap) {
        ProcessCheckRunner.Capture c = new ProcessCheckRunner.Capture(cap);
        c.drain(new ByteArrayInputStream(printed.getBytes(StandardCharsets.UTF_8)));
        return c.text();
    }

    @Test
    void onlyStandardErrorIsReportedAsNagiosDoes() throws InterruptedException {
        CheckResult r = run("echo 'cannot open /dev/thing' >&2\nexit 2", 5000);
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.output().text()).isEqualTo("(No output on stdout) stderr: cannot open /dev/thing");
    }

    @Test
    void standardErrorIsIgnoredNextToStandardOutput() throws InterruptedException {
        CheckResult r = run("echo 'warning: deprecated' >&2\necho 'OK'", 5000);
        assertThat(r.output()).isEqualTo(PluginOutput.of("OK"));
    }

    @Test
    void noOutputAtAll() throws InterruptedException {
        CheckResult r = run("exit 1", 5000);
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(r.output().text()).isEqualTo("(No output returned from plugin)");
    }

    @Test
    void argumentsArriveAsTheyAreWithoutAShell() throws InterruptedException {
        Scripts.write(dir, "check_args", "for a in \"$@\"; do printf '[%s]' \"$a\"; done\necho");
        CheckResult r = runner().run(Scripts.check("args", 5000, "check_args", "a b", "$HOME", "*", "", "x;y"));
        assertThat(r.output().text()).isEqualTo("[a b][$HOME][*][][x;y]");
    }

    @Test
    void runsWithTheCLocaleAndNoInput() throws InterruptedException {
        CheckResult r = run("read line; echo \"OK LC_ALL=$LC_ALL read=$?\"", 5000);
        assertThat(r.output().text()).isEqualTo("OK LC_ALL=C read=1");
    }

    @Test
    void aCommandThatIsNotFoundIsUnknownAndSaysSo() throws InterruptedException {
        CheckResult r = runner().run(Scripts.check("nope", 5000, "check_nope_nope", "-w", "1"));
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.output().text()).startsWith("check command check_nope_nope not found in plugin_path (" + dir
                + "), /usr/lib/nagios/plugins");
        assertThat(r.ran()).isTrue();
    }

    @Test
    void aProgramThatCannotBeStartedIsUnknown() throws Exception {
        Path bad = Files.writeString(dir.resolve("check_bad"), "#!/nonexistent/interpreter\n");
        Files.setPosixFilePermissions(bad, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        CheckResult r = runner().run(Scripts.check("bad", 5000, bad.toString()));
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.output().text()).startsWith("cannot run " + bad + ": ");
    }

    @Test
    void aProcessLeftBehindHoldingTheOutputDoesNotHoldTheResult() throws InterruptedException {
        long start = System.nanoTime();
        CheckResult r = run("echo 'OK - done'\nsleep 4 &\nexit 0", 1000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(r.output().text()).isEqualTo("OK - done");
    }

    @Test
    void anInterruptKillsTheCheckAndWhatItStarted() throws Exception {
        Path pid = dir.resolve("pid");
        Path child = dir.resolve("child");
        Scripts.write(dir, "check_test", "sleep 300 &\n" + Scripts.writePid("$!", child) + "\n"
                + Scripts.writePid("$$", pid) + "\nwait");
        ProcessCheckRunner runner = runner();
        Future<CheckResult> run = pool.submit(() -> runner.run(Scripts.check("test", 60_000, "check_test")));
        long check = Scripts.awaitPid(pid);
        long sleeper = Scripts.awaitPid(child);
        assertThat(Scripts.running(check)).isTrue();
        assertThat(Scripts.running(sleeper)).isTrue();
        run.cancel(true);
        Scripts.awaitDead(check);
        Scripts.awaitDead(sleeper);
    }

    @Test
    void anInterruptedRunThrows() throws Exception {
        Path pid = dir.resolve("pid");
        Scripts.write(dir, "check_test", Scripts.writePid("$$", pid) + "\nsleep 300");
        ProcessCheckRunner runner = runner();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                runner.run(Scripts.check("test", 60_000, "check_test"));
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        t.start();
        long check = Scripts.awaitPid(pid);
        t.interrupt();
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        Scripts.awaitDead(check);
    }

    @Test
    void killAllKillsEveryRunningCheck() throws Exception {
        ProcessCheckRunner runner = runner();
        for (String name : List.of("one", "two")) {
            Path pid = dir.resolve(name);
            Scripts.write(dir, "check_" + name, Scripts.writePid("$$", pid) + "\nsleep 300");
        }
        Future<CheckResult> one = pool.submit(() -> runner.run(Scripts.check("one", 60_000, "check_one")));
        Future<CheckResult> two = pool.submit(() -> runner.run(Scripts.check("two", 60_000, "check_two")));
        long p1 = Scripts.awaitPid(dir.resolve("one"));
        long p2 = Scripts.awaitPid(dir.resolve("two"));
        runner.killAll();
        Scripts.awaitDead(p1);
        Scripts.awaitDead(p2);
        assertThat(one.get(10, TimeUnit.SECONDS).state()).isEqualTo(State.UNKNOWN);
        assertThat(two.get(10, TimeUnit.SECONDS).output().text()).contains("killed by signal 9");
    }

    @Test
    void resultOfAnExitedCheck() {
        assertThat(ProcessCheckRunner.result(0, "OK | a=1\nlong\n", "ignored", 5, 6))
                .isEqualTo(new CheckResult(State.OK, new PluginOutput("OK", "long",
                        List.of(new PerfData("a", 1.0, "", "", "", null, null))), 5, 6));
        assertThat(ProcessCheckRunner.result(2, " \n", "boom\nmore\n", 5, 6).output())
                .isEqualTo(new PluginOutput("(No output on stdout) stderr: boom", "more", List.of()));
        assertThat(ProcessCheckRunner.result(9, "", "", 5, 6).output())
                .isEqualTo(PluginOutput.of("(Return code of 9 is out of bounds) (No output returned from plugin)"));
        assertThat(ProcessCheckRunner.result(-1, "x", "", 5, 6).state()).isEqualTo(State.UNKNOWN);
        assertThatThrownBy(() -> ProcessCheckRunner.result(0, "x", "", 5, 6).output().perfdata().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
