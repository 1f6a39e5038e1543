package org.heartbeat.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the clients under test: bin/hbc, hbc_mini.py and a freshly compiled hbc_mini.c. */
final class Clients {
    private Clients() {
    }

    /**
     * bin/hbc with these arguments, with its home directory ({@code HOME}) set to {@code dir} so that no
     * ~/.hbc.yaml of the machine running the tests is read.
     */
    static RunningProcess hbc(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Dist.HBC.toString()));
        cmd.addAll(List.of(args));
        return RunningProcess.start("hbc", dir, cmd, Map.of("HOME", dir.toString()));
    }

    /** bin/hbd with these arguments (a subcommand that returns), home directory ({@code HOME}) {@code dir}. */
    static RunningProcess hbd(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Dist.HBD.toString()));
        cmd.addAll(List.of(args));
        return RunningProcess.start("hbd", dir, cmd, Map.of("HOME", dir.toString()));
    }

    static RunningProcess miniPython(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", Dist.MINI_PY.toString()));
        cmd.addAll(List.of(args));
        return RunningProcess.start("hbc_mini.py", dir, cmd);
    }

    /** Compiles hbc_mini.c into {@code dir} with the warnings the project promises to have none of. */
    static Path compileMiniC(Path dir) throws IOException, InterruptedException {
        Path binary = dir.resolve("hbc_mini");
        Process cc = new ProcessBuilder("cc", "-Wall", "-Wextra", "-Werror", "-O2", "-o", binary.toString(),
                Dist.MINI_C.toString()).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes());
        if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0 || !Files.isExecutable(binary)) {
            throw new AssertionError("cc failed on hbc_mini.c:\n" + out);
        }
        return binary;
    }

    static RunningProcess miniC(Path dir, Path binary, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        return RunningProcess.start("hbc_mini.c", dir, cmd);
    }
}
