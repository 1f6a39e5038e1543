package org.heartbeat.notify.testing;

import java.util.List;
import java.util.stream.Collectors;

/** The threads of this JVM, by name: to check that a deactivated channel left none of its own behind. */
public final class Threads {
    private Threads() {
    }

    /** The names of the live threads whose name starts with {@code prefix}. */
    public static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).sorted().collect(Collectors.toList());
    }
}
