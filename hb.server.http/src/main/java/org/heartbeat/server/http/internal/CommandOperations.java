package org.heartbeat.server.http.internal;

import java.util.Optional;

import org.heartbeat.server.api.HostCommands;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.PendingCommand;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Commands to a host (docs/HTTP_API.md, "Commands"), answered for {@link HostsResource}:
 * <ul>
 * <li>{@code GET /api/hosts/NAME/commands}: the commands waiting for the host, oldest first.</li>
 * <li>{@code POST /api/hosts/NAME/commands} with {@code {"command": "set-interval", "argument": "30"}}
 * ({@code argument} optional): queues one through {@link HostCommands}, answers 201 and the command; 400 with
 * {@link HostCommands}' message for a name or argument it refuses, 403 for a user who does not own the host, 404
 * for an unknown host.</li>
 * </ul>
 * Called on HTTP request threads; {@link HostCommands} is safe from any thread.
 */
final class CommandOperations {
    private final HostDirectory hosts;
    private final HostCommands commands;
    private final Access access;

    CommandOperations(HostDirectory hosts, HostCommands commands, Access access) {
        this.hosts = hosts;
        this.commands = commands;
        this.access = access;
    }

    Answer pending(String host) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        return Answer.ok(commands.pending(host).stream().map(Views.Command::of).toList());
    }

    /** Queues a command for {@code host} on behalf of {@code remoteUser} (null without users). */
    Answer queue(String remoteUser, String host, JsonNode body) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        if (!access.mayAct(remoteUser, host)) {
            return Answer.error(403, "you may send commands only to hosts you own");
        }
        String command = AlertsResource.text(body, "command", null);
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command: required, such as " + HostCommands.PING + " or "
                    + HostCommands.SET_INTERVAL);
        }
        JsonNode arg = body.get("argument");
        String argument = arg == null || arg.isNull() ? "" : arg.isNumber() ? arg.asText()
                : AlertsResource.text(body, "argument", "");
        Optional<PendingCommand> queued = commands.queue(host, command, argument);
        if (queued.isEmpty()) {
            return noHost(host);
        }
        return new Answer(201, Views.Command.of(queued.get()));
    }

    private static Answer noHost(String host) {
        return Answer.error(404, "no host named \"" + host + "\"");
    }
}
