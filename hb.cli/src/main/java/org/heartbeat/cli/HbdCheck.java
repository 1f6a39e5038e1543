package org.heartbeat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hbd check HOST}: a Nagios plugin that asks the running daemon about a host (or one of its plugins) and
 * answers the Nagios way: one status line with performance data, and exit status 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN. The daemon evaluates the check ({@code GET /api/check/HOST}); this command only carries the question and
 * the answer, so it starts quickly.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Ask the running hbd about a host, as a Nagios or Icinga plugin: prints one status line with "
                + "performance data and exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        footer = {"", "Without --plugin: OK while the host's heartbeats arrive on time, CRITICAL when it is overdue or "
                + "has never reported. With --plugin: CRITICAL when the plugin's last report was an error, UNKNOWN when "
                + "its values are stale; the nagios plugin gives the worst state of its checks; with --metric the value "
                + "is held against -w and -C (Nagios ranges such as 80, 10:, ~:90, @10:20).", "",
                "Examples:", "  hbd check web1", "  hbd check web1 --plugin nagios", "  HB_TOKEN=hbt_... hbd check web1",
                "  hbd check web1 --plugin cpu_monitor --metric /cpu_percent -w 80 -C 95",
                "  hbd check web1 --plugin disk_monitor --metric /partitions/~1/percent -w 85 -C 95", "",
                "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for wrong options and an unreachable hbd)."})
final class HbdCheck implements Callable<Integer> {
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

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An API token (hbd token create) for an hbd with users; default: the environment variable "
                    + TOKEN_VARIABLE + ", which other users cannot see in the process list")
    String token;

    /** The environment variable holding the token when --token is not given. */
    static final String TOKEN_VARIABLE = "HB_TOKEN";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Answer a = check();
        out.println(a.line());
        out.flush();
        return a.state();
    }

    /** What to print and the exit status. */
    record Answer(int state, String line) {
    }

    static final int UNKNOWN = 3;

    private static Answer unknown(String text) {
        return new Answer(UNKNOWN, "HEARTBEAT UNKNOWN - " + text);
    }

    /**
     * Asks the daemon's {@code /api/check/HOST}, which evaluates the check (docs/NAGIOS_INTEGRATION.md), and passes
     * its answer on: the state is in its {@code X-Nagios-State} header, the line is its body. What goes wrong on the
     * way is UNKNOWN, as Nagios expects.
     */
    private Answer check() {
        DaemonApi.Endpoint base;
        try {
            base = DaemonApi.endpoint(url, config);
        } catch (DaemonApi.Failure e) {
            return unknown(e.getMessage());
        }
        StringBuilder query = new StringBuilder();
        param(query, "plugin", plugin);
        param(query, "metric", metric);
        param(query, "warning", warning);
        param(query, "critical", critical);
        URI target = base.base().resolve("/api/check/" + encode(host) + query);
        int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(100, Math.round(timeout * 1000)));
        HttpURLConnection c = null;
        String bearer = DaemonApi.token(token);
        try {
            c = DaemonApi.connect(base, target, limit, bearer);
            int status = c.getResponseCode();
            String state = c.getHeaderField("X-Nagios-State");
            if (state != null && state.matches("[0-3]")) {
                return new Answer(Integer.parseInt(state), body(c, status).strip());
            }
            if (status == 401) {
                return unknown("hbd at " + base + " has users and refused " + (bearer == null
                        ? "a request without a token; give one with --token or " + TOKEN_VARIABLE
                        : "the token (revoked, or its user removed?)"));
            }
            if (status == 429) {
                return unknown("hbd at " + base + " refuses attempts from here for a while after too many wrong "
                        + "credentials; try again in " + c.getHeaderField("Retry-After") + " s");
            }
            if (status == 503) {
                return unknown("hbd at " + base + " is starting or stopping; try again in a second");
            }
            return unknown("hbd at " + base + " answered " + status + " to /api/check; is it an hbd of this "
                    + "version?");
        } catch (ConnectException e) {
            return unknown("cannot reach hbd at " + base + ": connection refused (is it running?)");
        } catch (SocketTimeoutException e) {
            return unknown("hbd at " + base + " did not answer within " + limit / 1000.0 + " s");
        } catch (IOException | IllegalArgumentException e) {
            return unknown("cannot reach hbd at " + base + ": " + e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** The response's body, which the daemon sends with every status (the check's 409 and 503 included). */
    private static String body(HttpURLConnection c, int status) throws IOException {
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(encode(value));
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
