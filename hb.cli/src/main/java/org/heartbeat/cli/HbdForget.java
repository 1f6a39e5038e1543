package org.heartbeat.cli;

import java.io.PrintWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hbd forget HOST}: forgets a host through the running daemon's API ({@code DELETE /api/hosts/HOST},
 * docs/HTTP_API.md): it leaves the dashboard and the state file, with its pending commands and settings overrides,
 * and a {@code forgotten} event names who forgot it. A host of the configuration's {@code hosts:} is refused with
 * the daemon's message (remove it there and run {@code hbd reload}).
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
        description = "Forget a host that is gone for good: it leaves the dashboard, the state file and the API, "
                + "with its pending commands and settings overrides; if it reports again it is a new host. Hosts "
                + "listed under hosts: in the configuration are refused: remove them there and run hbd reload.",
        footer = {"", "Examples:", "  hbd forget old-web3", Exit.HELP_FOOTER})
final class HbdForget extends HbdAlerting.ApiCommand {
    @Parameters(paramLabel = "HOST", description = "The host's exact name")
    String host;

    @Override
    int run(PrintWriter out) throws DaemonApi.Failure {
        api.call("DELETE", "/api/hosts/" + DaemonApi.encode(host), null);
        out.println("forgot " + host);
        return Exit.OK;
    }
}
