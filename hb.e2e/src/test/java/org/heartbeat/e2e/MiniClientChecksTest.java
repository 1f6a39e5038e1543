package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mini clients' own checks against docs/protocol-vectors.txt (scripts/test_hbc_mini.py and
 * scripts/test_hbc_mini.c, the latter compiled with -Werror and the sanitizers by scripts/run_c_tests.sh),
 * one JUnit test per check line, so that every check counts in the build's results.
 */
class MiniClientChecksTest {
    @TempDir
    static Path binaries;

    @TestFactory
    Stream<DynamicTest> pythonClientChecks() throws Exception {
        return checks("python", List.of("python3", Dist.SOURCE.resolve("scripts/test_hbc_mini.py").toString(),
                Dist.SOURCE.resolve("docs/protocol-vectors.txt").toString()));
    }

    @TestFactory
    Stream<DynamicTest> cClientChecks() throws Exception {
        return checks("c", List.of("sh", Dist.SOURCE.resolve("scripts/run_c_tests.sh").toString(),
                binaries.toString()));
    }

    /** Runs a check program and turns each "ok NAME" / "not ok NAME: why" line into a test. */
    private static Stream<DynamicTest> checks(String label, List<String> command) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(command).directory(Dist.SOURCE.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (line.startsWith("ok ")) {
                String name = line.substring(3);
                tests.add(DynamicTest.dynamicTest(label + ": " + name, () -> assertThat(line).startsWith("ok ")));
            } else if (line.startsWith("not ok ")) {
                String rest = line.substring(7);
                tests.add(DynamicTest.dynamicTest(label + ": " + rest, () -> {
                    throw new AssertionError(rest);
                }));
            }
        }
        int status = finished ? p.exitValue() : -1;
        tests.add(DynamicTest.dynamicTest(label + ": checks ran to the end", () -> {
            assertThat(status).as("exit status; output:\n" + out).isZero();
            assertThat(tests.size()).as("checks reported").isGreaterThan(100);
        }));
        return tests.stream();
    }
}
