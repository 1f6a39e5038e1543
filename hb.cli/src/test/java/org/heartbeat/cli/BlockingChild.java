package org.heartbeat.cli;

import java.io.IOException;
import java.io.OutputStream;

/** A Java process for tests that stands in for a running daemon: it lives until its standard input closes. */
public final class BlockingChild {
    private BlockingChild() {
    }

    public static void main(String[] args) throws IOException {
        System.in.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * Starts one that passes for a running hbd: its command line names hbd's main class, which is what
     * {@link PidFile} looks for. It is alive when this returns.
     */
    static Process start() throws IOException {
        return start(Hbd.class.getName());
    }

    /** Starts one whose command line names nothing of Heartbeat's: some other program. */
    static Process startUnrelated() throws IOException {
        return start("unrelated");
    }

    private static Process start(String marker) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes = BlockingChild.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classes, BlockingChild.class.getName(),
                marker).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
