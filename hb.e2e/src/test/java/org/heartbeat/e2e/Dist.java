package org.heartbeat.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the assembled distribution and the source tree are. There is no "free port" helper on purpose: a port found
 * by binding and releasing it may be taken by another process before the daemon binds it. Start hbd with port 0 and
 * read the ports from its ready line ({@link Hbd}), or keep the socket.
 */
final class Dist {
    static final Path HOME = Path.of(System.getProperty("heartbeat.dist", "../hb.dist/target/heartbeat"))
            .toAbsolutePath().normalize();
    static final Path SOURCE = Path.of(System.getProperty("heartbeat.source", "..")).toAbsolutePath().normalize();
    static final Path HBD = HOME.resolve("bin/hbd");
    static final Path HBC = HOME.resolve("bin/hbc");
    static final Path MINI_PY = HOME.resolve("scripts/hbc_mini.py");
    static final Path MINI_C = HOME.resolve("scripts/hbc_mini.c");

    private Dist() {
    }

    static void requireBuilt() {
        if (!Files.isExecutable(HBD) || !Files.isExecutable(HBC)) {
            throw new IllegalStateException("no distribution at " + HOME + "; build it first (mvn package)");
        }
    }
}
