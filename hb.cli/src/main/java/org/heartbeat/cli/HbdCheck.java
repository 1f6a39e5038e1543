package org.heartbeat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Callable;

import org.heartbeat.config.ServerConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hbd check HOST}: a Nagios plugin that asks the running daemon about a host (or one of its plugins)
 * and answers the Nagios way: one status line with performance data, and exit status 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Ask the running hbd about a host, as a Nagios or Icinga plugin: prints one status line with "
                + "performance data and exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        footer = {"", "Without --plugin: OK while the host's heartbeats arrive on time, CRITICAL when it is overdue or "
                + "has never reported. With --plugin: CRITICAL when the plugin's last report was an error, UNKNOWN when "
                + "its values are stale; the nagios plugin gives the worst state of its checks; with --metric the value "
                + "is held against -w and -C (Nagios ranges such as 80, 10:, ~:90, @10:20).", "",
                "Examples:", "  hbd check web1", "  hbd check web1 --plugin nagios",
                "  hbd check web1 --plugin cpu_monitor --metric /cpu_percent -w 80 -C 95",
                "  hbd check web1 --plugin disk_monitor --metric /partitions/~1/percent -w 85 -C 95", "",
                "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for wrong options and an unreachable hbd)."})
final class HbdCheck implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Mixin
    Hbd.ConfigOption config = new Hbd.ConfigOption();

    @Parameters(paramLabel = "HOST", description = "The host, by the name it reports under")
    String host;

    @Option(names = {"-p", "--plugin"}, paramLabel = "PLUGIN", description = "Check this plugin of the host instead")
    String plugin;

    @Option(names = {"-m", "--metric"}, paramLabel = "POINTER",
            description = "With --plugin: the value to check, a JSON pointer such as /cpu_percent")
    String metric;

    @Option(names = {"-w", "--warning"}, paramLabel = "RANGE", description = "With --metric: WARNING outside this range")
    String warning;

    @Option(names = {"-C", "--critical"}, paramLabel = "RANGE",
            description = "With --metric: CRITICAL outside this range")
    String critical;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up on the daemon after this long (default: ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--url", paramLabel = "URL",
            description = "The daemon's HTTP address (default: from the configuration's listen and hbd_port)")
    URI url;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        NagiosCheck.Result result = check();
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.line());
        out.flush();
        return result.state();
    }

    private NagiosCheck.Result check() {
        NagiosRange w;
        NagiosRange c;
        try {
            w = warning == null ? null : NagiosRange.parse(warning);
            c = critical == null ? null : NagiosRange.parse(critical);
        } catch (IllegalArgumentException e) {
            return NagiosCheck.unknown(e.getMessage());
        }
        if ((w != null || c != null) && metric == null) {
            return NagiosCheck.unknown("-w and -C need --metric");
        }
        if (metric != null && plugin == null) {
            return NagiosCheck.unknown("--metric needs --plugin");
        }
        if (metric != null && !metric.isEmpty() && !metric.startsWith("/")) {
            return NagiosCheck.unknown("--metric: a JSON pointer starts with \"/\", such as /cpu_percent");
        }
        URI base = url;
        if (base == null) {
            java.io.StringWriter problems = new java.io.StringWriter();
            ServerConfig sc = config.load(new PrintWriter(problems));
            if (sc == null) {
                return NagiosCheck.unknown("configuration: " + problems.toString().strip().replace("hbd: ", ""));
            }
            String address = sc.listen().isEmpty() || sc.listen().equals("0.0.0.0") || sc.listen().equals("::")
                    ? "127.0.0.1" : sc.listen().contains(":") ? "[" + sc.listen() + "]" : sc.listen();
            base = URI.create("http://" + address + ":" + sc.hbdPort());
        }
        Duration limit = Duration.ofMillis(Math.max(100, Math.round(timeout * 1000)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(limit).build();
        try {
            Answer h = get(http, base, "/api/hosts/" + encode(host), limit);
            if (h.status == 404) {
                return NagiosCheck.unknown("hbd at " + base + " does not know host " + host);
            }
            if (h.status != 200) {
                return NagiosCheck.unknown("hbd at " + base + " answered " + h.status + ": " + h.body.path("error").asText());
            }
            Instant now = Instant.now();
            if (plugin == null) {
                return NagiosCheck.host(h.body, now);
            }
            Answer p = get(http, base, "/api/hosts/" + encode(host) + "/plugins/" + encode(plugin), limit);
            if (p.status == 404) {
                Answer all = get(http, base, "/api/hosts/" + encode(host) + "/plugins", limit);
                StringBuilder names = new StringBuilder();
                for (Iterator<String> it = all.body.path("plugins").fieldNames(); it.hasNext();) {
                    names.append(names.length() == 0 ? "" : ", ").append(it.next());
                }
                return NagiosCheck.unknown(host + " has no plugin " + plugin
                        + (names.length() == 0 ? " (no plugin reports for it)" : " (it has " + names + ")"));
            }
            if (p.status != 200) {
                return NagiosCheck.unknown("hbd at " + base + " answered " + p.status + ": " + p.body.path("error").asText());
            }
            return NagiosCheck.plugin(host, plugin, p.body.path("state"), now, metric, w, c);
        } catch (ConnectException e) {
            return NagiosCheck.unknown("cannot reach hbd at " + base + ": connection refused (is it running?)");
        } catch (HttpTimeoutException e) {
            return NagiosCheck.unknown("hbd at " + base + " did not answer within " + limit.toMillis() / 1000.0 + " s");
        } catch (IOException e) {
            return NagiosCheck.unknown("cannot reach hbd at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NagiosCheck.unknown("interrupted");
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer get(HttpClient http, URI base, String path, Duration limit)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(limit).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("the answer to " + path + " is not JSON; is " + base + " an hbd?");
        }
        return new Answer(r.statusCode(), body == null ? JSON.missingNode() : body);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
