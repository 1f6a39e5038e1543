package org.heartbeat.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the assembled distribution and the source tree are, and free ports to give the daemons. */
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

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
