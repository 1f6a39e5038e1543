package org.heartbeat.bench;

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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

/**
 * How late after its deadline a silent host is reported overdue. Sends one heartbeat for each of N hosts,
 * spread over a second, then lets them all fall silent; reads each host's last heartbeat time from the
 * API and the time of its "is overdue" line from the log, and prints the distribution of
 * (log line time - (last heartbeat + interval + grace)).
 *
 * <p>Usage: DetectionLoad HOST UDP_PORT HTTP_PORT LOGFILE HOSTS INTERVAL_MS GRACE_MS
 */
public final class DetectionLoad {
    private static final Pattern LAST_SEEN = Pattern.compile("\"last_seen\":\"([^\"]+)\"");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private DetectionLoad() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int udp = Integer.parseInt(args[1]);
        int http = Integer.parseInt(args[2]);
        Path log = Path.of(args[3]);
        int hosts = Integer.parseInt(args[4]);
        long interval = Long.parseLong(args[5]);
        long grace = Long.parseLong(args[6]);
        String prefix = "detect-" + Long.toString(System.currentTimeMillis() % 100000, 36) + "-";

        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(host, udp));
            long seq = System.currentTimeMillis() * 1000;
            for (int i = 0; i < hosts; i++) {
                ch.write(ByteBuffer.wrap(Datagrams.encode(Heartbeat.of(prefix + i, seq++, System.currentTimeMillis(),
                        interval), null)));
                Thread.sleep(Math.max(1, 1000 / hosts));
            }
        }
        Thread.sleep(interval + grace + 1500);

        HttpClient client = HttpClient.newHttpClient();
        List<Long> latencies = new ArrayList<>();
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        for (int i = 0; i < hosts; i++) {
            String name = prefix + i;
            String body = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + http + "/api/hosts/"
                    + name)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = LAST_SEEN.matcher(body);
            Matcher line = Pattern.compile("^(\\S+ \\S+) WARN  " + Pattern.quote(name) + " is overdue", Pattern.MULTILINE)
                    .matcher(logText);
            if (!m.find() || !line.find()) {
                System.out.println("no overdue report for " + name);
                continue;
            }
            long deadline = Instant.parse(m.group(1)).toEpochMilli() + interval + grace;
            long reported = LocalDateTime.parse(line.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
                    .toEpochMilli();
            latencies.add(reported - deadline);
        }
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            System.out.println("no latencies measured");
            return;
        }
        System.out.printf("hosts=%d reported=%d min_ms=%d median_ms=%d p99_ms=%d max_ms=%d%n", hosts, latencies.size(),
                latencies.get(0), latencies.get(latencies.size() / 2),
                latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1)),
                latencies.get(latencies.size() - 1));
    }
}
