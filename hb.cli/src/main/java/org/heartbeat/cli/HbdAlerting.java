package org.heartbeat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The alerting commands, each a call to the running daemon's API (docs/NOTIFICATIONS.md): {@code hbd notify},
 * {@code hbd alerts}, {@code hbd ack}, {@code hbd silence}, {@code hbd unsilence}.
 */
final class HbdAlerting {
    private HbdAlerting() {
    }

    /** Runs a call and prints the failure the way every command does. */
    abstract static class ApiCommand implements Callable<Integer> {
        @CommandLine.Mixin
        DaemonApi api = new DaemonApi();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                return run(spec.commandLine().getOut());
            } catch (DaemonApi.Failure e) {
                spec.commandLine().getErr().println("hbd: " + e.getMessage());
                return Exit.FAILURE;
            } finally {
                spec.commandLine().getOut().flush();
            }
        }

        abstract int run(PrintWriter out) throws DaemonApi.Failure;
    }

    @Command(name = "notify", mixinStandardHelpOptions = true,
            description = "Send a test message through every configured notification channel, or the one named, "
                    + "and print per channel whether it was delivered and why not. Through the running daemon; when "
                    + "none runs, through a short-lived one started on this configuration (its channels and users, "
                    + "no hosts, its own scratch files).",
            footer = {"", "Exit status 0 when every channel delivered, 1 otherwise.", "", "Examples:",
                    "  hbd notify", "  hbd notify pushover_ops", Exit.HELP_FOOTER})
    static final class Notify extends ApiCommand {
        @Parameters(paramLabel = "CHANNEL", arity = "0..1", description = "A name of notification_channels:")
        String channel;

        @Override
        int run(PrintWriter out) throws DaemonApi.Failure {
            String body = "{\"channel\": " + DaemonApi.quote(channel) + "}";
            List<Map<String, Object>> results;
            try {
                results = api.call("POST", "/api/notify", body).list();
            } catch (DaemonApi.Failure e) {
                if (!e.unreachable() || api.url != null) {
                    throw e;
                }
                results = ScratchNotify.send(api, body, out);
            }
            if (results.isEmpty()) {
                out.println("no notification channels are configured (notification_channels: in the configuration;"
                        + " see docs/NOTIFICATIONS.md)");
                return Exit.FAILURE;
            }
            boolean all = true;
            for (Map<String, Object> r : results) {
                String outcome = String.valueOf(r.get("outcome"));
                String detail = r.get("detail") == null ? "" : String.valueOf(r.get("detail"));
                boolean ok = outcome.equals("delivered");
                all &= ok;
                out.println(r.get("channel") + ": " + (ok ? "delivered" : outcome.equals("retry")
                        ? "not delivered, try again later" : "FAILED") + (detail.isEmpty() ? "" : " - " + detail));
            }
            return all ? Exit.OK : Exit.FAILURE;
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = "List the active alerts and the silences of the running daemon.",
            footer = Exit.HELP_FOOTER)
    static final class Alerts extends ApiCommand {
        @Override
        int run(PrintWriter out) throws DaemonApi.Failure {
            List<Map<String, Object>> alerts = api.call("GET", "/api/alerts", null).list();
            if (alerts.isEmpty()) {
                out.println("no active alerts");
            }
            for (Map<String, Object> a : alerts) {
                StringBuilder flags = new StringBuilder();
                if (a.get("acknowledged") instanceof Map<?, ?> ack) {
                    flags.append(" [acknowledged by ").append(ack.get("user")).append(']');
                }
                if (Boolean.TRUE.equals(a.get("silenced"))) {
                    flags.append(" [silenced]");
                }
                if (Boolean.TRUE.equals(a.get("flapping"))) {
                    flags.append(" [flapping]");
                }
                if (a.get("held_back") != null) {
                    flags.append(" [held back: ").append(a.get("held_back")).append(']');
                }
                out.println(a.get("severity") + "  " + a.get("id") + "  since " + a.get("since") + "  "
                        + a.get("message") + flags);
            }
            for (Map<String, Object> s : api.call("GET", "/api/silences", null).list()) {
                out.println("silence " + s.get("id") + ": " + (s.get("host") == null ? "every host" : s.get("host"))
                        + " until " + s.get("until") + " by " + s.get("user")
                        + (s.get("reason") == null || String.valueOf(s.get("reason")).isEmpty() ? ""
                                : " (" + s.get("reason") + ")"));
            }
            return Exit.OK;
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true,
            description = "Acknowledge the active alerts of a host: no more reminders until each recovers.",
            footer = {"", "Examples:", "  hbd ack web1", "  hbd ack web1 --comment \"disk replaced tomorrow\"",
                    Exit.HELP_FOOTER})
    static final class Ack extends ApiCommand {
        @Parameters(paramLabel = "HOST", description = "The host")
        String host;

        @Option(names = "--alert", paramLabel = "ID", description = "Only this alert (see hbd alerts)")
        String alert;

        @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "", description = "Why, for the record")
        String comment;

        @Override
        int run(PrintWriter out) throws DaemonApi.Failure {
            List<Map<String, Object>> done = api.call("POST", "/api/alerts/ack", "{\"host\": "
                    + DaemonApi.quote(host) + ", \"id\": " + DaemonApi.quote(alert) + ", \"comment\": "
                    + DaemonApi.quote(comment) + "}").list();
            if (done.isEmpty()) {
                out.println("nothing to acknowledge: " + host + " has no unacknowledged active alert"
                        + (alert == null ? "" : " " + alert));
                return Exit.OK;
            }
            for (Map<String, Object> a : done) {
                out.println("acknowledged " + a.get("id") + ": " + a.get("message"));
            }
            return Exit.OK;
        }
    }

    @Command(name = "silence", mixinStandardHelpOptions = true,
            description = "Silence a host, or every host, for a while (a maintenance window): its alerts are kept "
                    + "but not notified; those still active when it ends are notified then.",
            footer = {"", "DURATION: a number with s, m, h, d or w, such as 30m, 2h or 1d.", "", "Examples:",
                    "  hbd silence web1 2h", "  hbd silence --all 30m --reason \"switch firmware\"",
                    Exit.HELP_FOOTER})
    static final class Silence extends ApiCommand {
        @Parameters(paramLabel = "HOST_OR_DURATION", arity = "1..2",
                description = "HOST DURATION, or with --all only DURATION")
        List<String> args;

        @Option(names = "--all", description = "Every host")
        boolean all;

        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for the record")
        String reason;

        @Override
        int run(PrintWriter out) throws DaemonApi.Failure {
            if (all != (args.size() == 1)) {
                throw new DaemonApi.Failure(all ? "with --all give only the duration, such as: hbd silence --all 2h"
                        : "give the host and the duration, such as: hbd silence web1 2h (or --all 2h)");
            }
            String host = all ? null : args.get(0);
            String duration = args.get(args.size() - 1);
            Map<String, Object> s = api.call("POST", "/api/silences", "{\"host\": " + DaemonApi.quote(host)
                    + ", \"duration\": " + DaemonApi.quote(duration) + ", \"reason\": " + DaemonApi.quote(reason)
                    + "}").map();
            out.println("silenced " + (host == null ? "every host" : host) + " until " + s.get("until")
                    + " (silence " + s.get("id") + "; lift it early with: hbd unsilence " + s.get("id") + ")");
            return Exit.OK;
        }
    }

    @Command(name = "unsilence", mixinStandardHelpOptions = true, description = "Lift a silence before its end.",
            footer = {"", "Example:", "  hbd unsilence 3f2a91c0", Exit.HELP_FOOTER})
    static final class Unsilence extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The silence's id (see hbd alerts)")
        String id;

        @Override
        int run(PrintWriter out) throws DaemonApi.Failure {
            api.call("DELETE", "/api/silences/" + DaemonApi.encode(id), null);
            out.println("silence " + id + " lifted");
            return Exit.OK;
        }
    }
}
