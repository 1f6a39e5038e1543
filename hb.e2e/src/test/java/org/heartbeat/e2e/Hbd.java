package org.heartbeat.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real hbd started by a test from bin/hbd, in the foreground, with a configuration of the test's. */
final class Hbd implements AutoCloseable {
    static final Pattern READY = Pattern.compile("Heartbeat daemon starting on UDP :(\\d+), HTTPS? :(\\d+), WSS? :(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final RunningProcess process;
    final Path config;
    final int udpPort;
    final int httpPort;
    final int wsPort;
    /** The address the API is reached on: the configured listen address, else the loopback. */
    final String apiHost;

    private Hbd(RunningProcess process, Path config, String apiHost, int udp, int http, int ws) {
        this.process = process;
        this.config = config;
        this.apiHost = apiHost;
        this.udpPort = udp;
        this.httpPort = http;
        this.wsPort = ws;
    }

    /**
     * Writes a configuration into {@code dir} (ports 0 unless {@code yaml} sets them; pickfile, pidfile,
     * logfile and history file in {@code dir}) and starts hbd on it with -f, waiting for its ready line.
     */
    static Hbd start(Path dir, String yaml, String... extraArgs) throws Exception {
        Path config = writeConfig(dir, yaml);
        return startWith(dir, config, extraArgs);
    }

    static Path writeConfig(Path dir, String yaml) throws IOException {
        StringBuilder c = new StringBuilder(yaml);
        if (!yaml.contains("hb_port:")) {
            c.append("hb_port: 0\n");
        }
        if (!yaml.contains("hbd_port:")) {
            c.append("hbd_port: 0\n");
        }
        if (!yaml.contains("ws_port:")) {
            c.append("ws_port: 0\n");
        }
        for (String[] file : new String[][] {{"pickfile", "hb.pick"}, {"pidfile", "hb.pid"}, {"logfile", "hb.log"}}) {
            if (!yaml.contains(file[0] + ":")) {
                c.append(file[0]).append(": ").append(dir.resolve(file[1])).append('\n');
            }
        }
        if (!yaml.contains("plugin_dir:")) {
            c.append("plugin_dir: ").append(dir.resolve("plugins")).append('\n');
        }
        if (!yaml.contains("history:")) {
            c.append("history:\n  file: ").append(dir.resolve("history.db")).append('\n');
        }
        if (!yaml.contains("events:")) {
            c.append("events:\n  dir: ").append(dir.resolve("events")).append('\n');
        }
        if (!yaml.contains("alerting:")) {
            c.append("alerting:\n  file: ").append(dir.resolve("alerts.db")).append('\n');
        }
        if (!yaml.contains("outbox:")) {
            c.append("outbox:\n  file: ").append(dir.resolve("outbox.db")).append('\n');
        }
        Path config = dir.resolve("hb.yaml");
        Files.writeString(config, c.toString(), StandardCharsets.UTF_8);
        return config;
    }

    static Hbd startWith(Path dir, Path config, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Dist.HBD.toString(), "serve", "-c", config.toString(), "-f"));
        cmd.addAll(List.of(extraArgs));
        RunningProcess p = RunningProcess.start("hbd", dir, cmd);
        p.awaitLine(READY.pattern(), Duration.ofSeconds(30));
        Matcher m = READY.matcher(p.output());
        if (!m.find()) {
            throw new AssertionError("no ready line:\n" + p.output());
        }
        Matcher listen = Pattern.compile("(?m)^listen: \"?([^\"\n]+)\"?").matcher(Files.readString(config));
        String host = !listen.find() ? "127.0.0.1"
                : listen.group(1).contains(":") ? "[" + listen.group(1) + "]" : listen.group(1);
        return new Hbd(p, config, host, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /**
     * Writes the ports hbd bound (it was started with port 0) into its configuration file, so that what reads that
     * file afterwards ({@code hbd check}, a second hbd on the same port) finds them. The running hbd has read the file
     * already; choosing a port by binding and releasing it first would race with every other process.
     */
    void pinPorts() throws IOException {
        String yaml = Files.readString(config, StandardCharsets.UTF_8)
                .replaceAll("(?m)^hb_port: .*$", "hb_port: " + udpPort)
                .replaceAll("(?m)^hbd_port: .*$", "hbd_port: " + httpPort)
                .replaceAll("(?m)^ws_port: .*$", "ws_port: " + wsPort);
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
    }

    /** GET on the API: status and JSON body. */
    Response get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + apiHost + ":" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    record Response(int status, JsonNode body) {
    }

    /** GET of a page: status, content type and body as text. */
    record Page(int status, String contentType, String body) {
    }

    Page page(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + apiHost + ":" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new Page(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    Optional<JsonNode> host(String name) throws IOException, InterruptedException {
        Response r = get("/api/hosts/" + name);
        return r.status() == 200 ? Optional.of(r.body()) : Optional.empty();
    }

    /** The host's status word, or "absent". */
    String status(String name) throws IOException, InterruptedException {
        return host(name).map(h -> h.path("status").asText()).orElse("absent");
    }

    String log() {
        return process.output();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
