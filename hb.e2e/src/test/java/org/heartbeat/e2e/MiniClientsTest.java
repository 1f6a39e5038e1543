package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** hbc_mini.py and hbc_mini.c against the real hbd: up, plugin data, signed, overdue when stopped. */
class MiniClientsTest {
    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static long pluginMessages(Hbd hbd) throws Exception {
        return hbd.get("/api/status").body().path("datagrams").path("plugin_messages").asLong();
    }

    private static void reportsAndGoesOverdue(Hbd hbd, RunningProcess client, String name) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> hbd.status(name).equals("up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !hbd.host(name).orElseThrow().path("rtt_ms").isNull());
        await().atMost(Duration.ofSeconds(10)).until(() -> pluginMessages(hbd) > 0);
        // cpu, memory and disk values, the same names the Java plugins use, as the server shows them
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode p = hbd.get("/api/hosts/" + name + "/plugins").body().path("plugins");
            return p.path("cpu_monitor").path("values").has("cpu_percent")
                    && p.path("memory_monitor").path("values").has("total")
                    && p.path("disk_monitor").path("values").path("partitions").has("/");
        });
        JsonNode memory = hbd.get("/api/hosts/" + name + "/plugins/memory_monitor").body().path("state");
        assertThat(memory.path("status").asText()).isEqualTo("ok");
        assertThat(memory.path("values").path("percent").asDouble()).isBetween(0.0, 100.0);
        client.stop();
        await().atMost(Duration.ofSeconds(6)).until(() -> hbd.status(name).equals("overdue"));
    }

    @Test
    void pythonClient(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n");
                RunningProcess mini = Clients.miniPython(dir, "-i", "1", "-m", "1", "-n", "e2e-py", "-p",
                        Integer.toString(hbd.udpPort), "127.0.0.1")) {
            reportsAndGoesOverdue(hbd, mini, "e2e-py");
        }
    }

    @Test
    void cClient(@TempDir Path dir) throws Exception {
        Path binary = Clients.compileMiniC(dir);
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n");
                RunningProcess mini = Clients.miniC(dir, binary, "-i", "1", "-m", "1", "-n", "e2e-c", "-p",
                        Integer.toString(hbd.udpPort), "127.0.0.1")) {
            reportsAndGoesOverdue(hbd, mini, "e2e-c");
        }
    }

    @Test
    void bothSignWithAKeyFromHbdHostkey(@TempDir Path dir) throws Exception {
        Path pyKey = dir.resolve("py.key");
        Path cKey = dir.resolve("c.key");
        String pySnippet = hostkey(dir, "e2e-py-signed", pyKey);
        String cSnippet = hostkey(dir, "e2e-c-signed", cKey);
        String hosts = "hosts:\n" + pySnippet.substring(pySnippet.indexOf("  e2e-py-signed")) + "\n"
                + cSnippet.substring(cSnippet.indexOf("  e2e-c-signed")) + "\n";
        Path binary = Clients.compileMiniC(dir);
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\nrequire_auth: true\n" + hosts);
                RunningProcess py = Clients.miniPython(dir, "-i", "1", "-m", "1", "-k", pyKey.toString(), "-n",
                        "e2e-py-signed", "-p", Integer.toString(hbd.udpPort), "127.0.0.1");
                RunningProcess c = Clients.miniC(dir, binary, "-i", "1", "-m", "1", "-k", cKey.toString(), "-n",
                        "e2e-c-signed", "-p", Integer.toString(hbd.udpPort), "127.0.0.1");
                RunningProcess unsigned = Clients.miniPython(dir, "-i", "1", "-n", "e2e-unsigned", "-p",
                        Integer.toString(hbd.udpPort), "127.0.0.1")) {
            for (String name : new String[] {"e2e-py-signed", "e2e-c-signed"}) {
                await().atMost(Duration.ofSeconds(15)).until(() -> hbd.status(name).equals("up"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !hbd.host(name).orElseThrow().path("rtt_ms").isNull());
                JsonNode h = hbd.host(name).orElseThrow();
                assertThat(h.path("authenticated").asBoolean()).isTrue();
            }
            // require_auth: a host without a key never gets in, whatever it sends
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> hbd.status("e2e-unsigned").equals("absent"));
            assertThat(hbd.get("/api/status").body().path("datagrams").path("dropped_no_key").asLong()).isPositive();
        }
    }

    /** Runs hbd hostkey NAME -o KEYFILE and returns the YAML it prints for the server. */
    static String hostkey(Path dir, String name, Path keyFile) throws Exception {
        RunningProcess p = Clients.hbd(dir, "hostkey", name, "-o", keyFile.toString());
        assertThat(p.awaitExit(Duration.ofSeconds(20))).isZero();
        String out = p.output();
        return out.substring(out.indexOf("hosts:"), out.indexOf("\n\n"));
    }
}
