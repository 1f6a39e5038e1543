package org.heartbeat.cli;

import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hbd command HOST COMMAND [ARGUMENT]}: queues a command for a host's client through the running daemon's
 * API ({@code POST /api/hosts/HOST/commands}, docs/HTTP_API.md); the client runs it on its next heartbeat.
 */
@Command(name = "command", mixinStandardHelpOptions = true,
        description = "Queue a command for a host's client, carried in the answer to its next heartbeat: ping (a "
                + "heartbeat at once) or set-interval SECONDS (heartbeat at that interval from now on).",
        footer = {"", "Examples:", "  hbd command web1 ping", "  hbd command web1 set-interval 30", Exit.HELP_FOOTER})
final class HbdHostCommand extends HbdAlerting.ApiCommand {
    @Parameters(index = "0", paramLabel = "HOST", description = "The host")
    String host;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "ping, set-interval, or another the client knows")
    String command;

    @Parameters(index = "2", paramLabel = "ARGUMENT", arity = "0..1", description = "Its argument, if it takes one")
    String argument;

    @Override
    int run(PrintWriter out) throws DaemonApi.Failure {
        Map<String, Object> c = api.call("POST", "/api/hosts/" + DaemonApi.encode(host) + "/commands",
                "{\"command\": " + DaemonApi.quote(command) + ", \"argument\": " + DaemonApi.quote(argument) + "}")
                .map();
        out.println("queued for " + host + ": " + c.get("name") + (argument == null ? "" : " " + c.get("argument"))
                + " (command " + c.get("id") + "; the client runs it on its next heartbeat)");
        return Exit.OK;
    }
}
