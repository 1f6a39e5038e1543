package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class AuditTest {
    /** A logger that keeps each INFO line, its {} filled in, in the list. */
    static Logger logger(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> {
                    if (m.getName().equals("info") && a[0] instanceof String format) {
                        Object[] args = a.length == 2 && a[1] instanceof Object[] all ? all
                                : java.util.Arrays.copyOfRange(a, 1, a.length);
                        String line = format;
                        for (Object arg : args) {
                            line = line.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(
                                    String.valueOf(arg)));
                        }
                        lines.add(line);
                    }
                    return m.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void oneLineWithWhoFromWhereWhatAndOnWhat() {
        List<String> lines = new ArrayList<>();
        Audit audit = new Audit(logger(lines));
        audit.record("alice", "192.0.2.7", "silence", "web1", "s-1 until 2026-12-01T12:00:00.000Z: maintenance");
        audit.record("bob", "2001:db8::1", "silence", null, null);
        assertThat(lines).containsExactly("user=alice address=192.0.2.7 action=silence target=web1 "
                + "detail=\"s-1 until 2026-12-01T12:00:00.000Z: maintenance\"",
                "user=bob address=2001:db8::1 action=silence target=*");
    }

    @Test
    void valuesFromRequestsCannotForgeALine() {
        List<String> lines = new ArrayList<>();
        new Audit(logger(lines)).record("alice", "192.0.2.7", "acknowledge", "web1\nuser=mallory \"x\"",
                "a\\b\u2028");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n").isEqualTo("user=alice address=192.0.2.7 action=acknowledge "
                + "target=\"web1\\nuser=mallory \\\"x\\\"\" detail=\"a\\\\b\\u2028\"");
        assertThat(Audit.quote("")).isEqualTo("\"\"");
        assertThat(Audit.quote(null)).isEqualTo("-");
    }
}
