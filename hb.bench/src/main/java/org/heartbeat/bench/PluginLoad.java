package org.heartbeat.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

/**
 * Sends plugin samples of many hosts at a fixed rate, each a cpu_monitor-like tree of 12 numbers (one datagram),
 * after one heartbeat per host so that the server takes them. Reads the server's counters before and after and
 * prints: samples sent, taken as latest values, recorded in the history, and the server's CPU time per sample.
 *
 * <p>Usage: PluginLoad HOST UDP_PORT HTTP_PORT HOSTS RATE SECONDS PID
 */
public final class PluginLoad {
    private PluginLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int http = Integer.parseInt(args[2]);
        int hosts = Integer.parseInt(args[3]);
        long rate = Long.parseLong(args[4]);
        double seconds = Double.parseDouble(args[5]);
        long pid = Long.parseLong(args[6]);

        DatagramChannel ch = DatagramChannel.open();
        ch.connect(new InetSocketAddress(host, port));
        long seq = System.currentTimeMillis() * 1000;
        for (int i = 0; i < hosts; i++) {
            ch.write(ByteBuffer.wrap(Datagrams.encode(Heartbeat.of(name(i), seq++, System.currentTimeMillis(),
                    60_000), null)));
            if (i % 500 == 0) {
                Thread.sleep(5);
            }
        }
        Thread.sleep(1000);

        byte[][] samples = new byte[hosts][];
        for (int i = 0; i < hosts; i++) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("cpu_percent", 12.5 + i % 7);
            tree.put("per_cpu_percent", List.of(10.0, 15.0, 11.0, 14.0));
            tree.put("load_1", 0.52);
            tree.put("load_5", 0.4);
            tree.put("load_15", 0.31);
            tree.put("cores", 4L);
            tree.put("steal_percent", 0.0);
            tree.put("iowait_percent", 0.2);
            samples[i] = Datagrams.encodePluginSample(name(i), System.currentTimeMillis(), 60_000, "cpu_monitor",
                    tree, null, n -> 0).get(0);
        }
        Map<String, Long> before = counters(http);
        long cpuBefore = IngestLoad.cpuTicks(pid);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long sent = 0;
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        while (System.nanoTime() < end) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            if (sent >= due) {
                LockSupport.parkNanos(20_000);
                continue;
            }
            for (long n = Math.min(due - sent, 256); n > 0; n--) {
                out.clear();
                out.put(samples[(int) (sent % hosts)]);
                out.putLong(6, ++seq);
                out.putLong(14, System.currentTimeMillis());
                out.flip();
                ch.write(out);
                sent++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // wait until the history has written what it queued
        Map<String, Long> after = counters(http);
        for (int i = 0; i < 100 && after.getOrDefault("queued", 0L) > 0; i++) {
            Thread.sleep(100);
            after = counters(http);
        }
        long cpuAfter = IngestLoad.cpuTicks(pid);
        long taken = after.get("samples") - before.get("samples");
        long notRecorded = after.get("not_recorded_queue_full") - before.get("not_recorded_queue_full");
        System.out.printf("rate_asked=%d rate_sent=%.0f sent=%d taken=%d history_not_recorded=%d loss_percent=%.3f"
                + " server_cpu_us_per_sample=%.2f raw_points=%d%n", rate, sent / elapsed, sent, taken, notRecorded,
                100.0 * (sent - taken) / Math.max(1, sent), (cpuAfter - cpuBefore) * 10_000.0 / Math.max(1, taken),
                after.get("raw_points"));
        ch.close();
    }

    private static String name(int i) {
        return "plugin-" + i + ".bench.example";
    }

    private static final Pattern FIELD = Pattern.compile("\"(samples|not_recorded_queue_full|queued|raw_points)\":(\\d+)");

    /** The history counters of /api/status. */
    private static Map<String, Long> counters(int http) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/api/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(body.substring(body.indexOf("\"history\"")));
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }
}
