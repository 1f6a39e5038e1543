package org.heartbeat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

import com.sun.net.httpserver.HttpServer;

/**
 * Deadline-to-notification latency, measured outside {@code hbd}: a local Mattermost-style webhook receives the
 * notifications and notes the time each arrives; the deadline of each host is its last heartbeat (from the API)
 * plus interval plus grace.
 *
 * <pre>
 * NotifyLatency serve PORT_FILE TIMES_FILE            the webhook: writes its port, then "millis host" per message
 * NotifyLatency load HOST UDP HTTP TIMES_FILE HOSTS INTERVAL_MS GRACE_MS SPREAD_MS USER:PASSWORD
 * </pre>
 *
 * {@code load} sends one heartbeat for each of HOSTS hosts, SPREAD_MS apart (0: all at once), lets them fall silent,
 * waits for their notifications (or a summary naming them) and prints the distribution of (arrival - deadline) and
 * how long the whole took.
 */
public final class NotifyLatency {
    private static final Pattern OVERDUE = Pattern.compile("(notify-[a-z0-9]+-\\d+) is overdue");
    private static final Pattern NAMED = Pattern.compile("notify-[a-z0-9]+-\\d+");
    private static final Pattern LAST_SEEN = Pattern.compile("\"last_seen\":\"([^\"]+)\"");
    private static final Pattern STORM = Pattern.compile("(\\d+) more hosts? (?:is|are) overdue");

    private NotifyLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            serve(Path.of(args[1]), Path.of(args[2]));
        } else {
            load(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]), Long.parseLong(args[7]),
                    Long.parseLong(args[8]), args[9]);
        }
    }

    private static void serve(Path portFile, Path times) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/hooks/bench", x -> {
            long now = System.currentTimeMillis();
            String body;
            try (InputStream in = x.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
            StringBuilder lines = new StringBuilder();
            Matcher m = OVERDUE.matcher(body);
            if (m.find()) {
                lines.append(now).append(' ').append(m.group(1)).append('\n');
            } else if (body.contains("overdue")) {
                Matcher storm = STORM.matcher(body);
                if (storm.find()) {
                    lines.append(now).append(" storm-summary ").append(storm.group(1)).append('\n');
                }
                Matcher n = NAMED.matcher(body);
                while (n.find()) {
                    lines.append(now).append(' ').append(n.group()).append(" summary\n");
                }
            }
            if (lines.length() > 0) {
                synchronized (NotifyLatency.class) {
                    Files.writeString(times, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        Files.writeString(portFile, Integer.toString(server.getAddress().getPort()));
    }

    private static void load(String host, int udp, int http, Path times, int hosts, long interval, long grace,
            long spread, String credentials) throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                credentials.getBytes(StandardCharsets.UTF_8));
        String prefix = "notify-" + Long.toString(System.currentTimeMillis() % 100000, 36) + "-";
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(host, udp));
            long seq = System.currentTimeMillis() * 1000;
            for (int i = 0; i < hosts; i++) {
                ch.write(ByteBuffer.wrap(Datagrams.encode(Heartbeat.of(prefix + i, seq++, System.currentTimeMillis(),
                        interval), null)));
                if (spread > 0) {
                    Thread.sleep(spread);
                }
            }
        }
        HttpClient client = HttpClient.newHttpClient();
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; i < hosts; i++) {
            String name = prefix + i;
            String body = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + http + "/api/hosts/"
                    + name)).header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = LAST_SEEN.matcher(body);
            if (m.find()) {
                deadlines.put(name, Instant.parse(m.group(1)).toEpochMilli() + interval + grace);
            }
        }
        long lastDeadline = Collections.max(deadlines.values());
        Map<String, Long> arrived = new HashMap<>();
        int summarised = 0;
        int covered = 0;
        long coveredAt = 0;
        long until = lastDeadline + 60_000;
        while (System.currentTimeMillis() < until && arrived.size() + covered < deadlines.size()) {
            Thread.sleep(100);
            arrived.clear();
            summarised = 0;
            covered = 0;
            if (Files.exists(times)) {
                for (String line : Files.readAllLines(times)) {
                    String[] f = line.split(" ");
                    if (f[1].equals("storm-summary")) {
                        // a storm summary names some hosts and counts the others
                        covered += Integer.parseInt(f[2]);
                        coveredAt = Math.max(coveredAt, Long.parseLong(f[0]));
                        continue;
                    }
                    if (deadlines.containsKey(f[1]) && !arrived.containsKey(f[1])) {
                        arrived.put(f[1], Long.parseLong(f[0]));
                        if (f.length > 2) {
                            summarised++;
                        }
                    }
                }
            }
        }
        String earliest = deadlines.entrySet().stream().min(Map.Entry.comparingByValue()).get().getKey();
        Long first = arrived.containsKey(earliest) ? arrived.get(earliest) - deadlines.get(earliest) : null;
        List<Long> late = new ArrayList<>();
        long last = 0;
        for (Map.Entry<String, Long> e : arrived.entrySet()) {
            late.add(e.getValue() - deadlines.get(e.getKey()));
            last = Math.max(last, e.getValue());
        }
        Collections.sort(late);
        if (late.isEmpty()) {
            System.out.println("hosts=" + hosts + " notified=0 (none arrived within 60 s of the last deadline)");
            return;
        }
        if (covered > 0) {
            // the summary's named hosts are counted in it
            last = Math.max(last, coveredAt);
            System.out.printf("storm summaries covered %d hosts, the last %d ms after the last deadline; ", covered,
                    coveredAt - lastDeadline);
        }
        System.out.printf("hosts=%d notified by name=%d (of them in a summary: %d) deadline-to-arrival ms: min=%d"
                + " median=%d p99=%d max=%d (the first host's: %s); last arrival %d ms after the last deadline%n",
                hosts, arrived.size(), summarised, late.get(0), late.get(late.size() / 2),
                late.get(Math.min(late.size() - 1, late.size() * 99 / 100)), late.get(late.size() - 1), first,
                last - lastDeadline);
    }
}
