package org.heartbeat.server.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.heartbeat.server.api.HostCommands;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostOverrides;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Changing a host through the API (docs/HTTP_API.md, "Forgetting a host" and "Settings overrides"), answered for
 * {@link HostsResource}:
 * <ul>
 * <li>{@code DELETE /api/hosts/NAME}: forgets the host ({@link HostCommands#forget}) and drops its overrides; 204,
 * 404 for an unknown host, 409 for a host of the configuration file's {@code hosts:}.</li>
 * <li>{@code GET /api/hosts/NAME/settings}: its overrides ({@code {}} for none).</li>
 * <li>{@code PUT /api/hosts/NAME/settings} with the overrides as a JSON object: replaces them; 200 and the
 * overrides in force, 400 naming the first key that is wrong.</li>
 * <li>{@code DELETE /api/hosts/NAME/settings}: removes them; 204.</li>
 * </ul>
 * Changes need an admin or the host's owner (403 otherwise) and go to the {@link Audit} log. Called on HTTP request
 * threads; the services are safe from any thread.
 */
final class HostOperations {
    private final HostDirectory hosts;
    private final HostCommands commands;
    private final HostOverrides overrides;
    private final Access access;

    HostOperations(HostDirectory hosts, HostCommands commands, HostOverrides overrides, Access access) {
        this.hosts = hosts;
        this.commands = commands;
        this.overrides = overrides;
        this.access = access;
    }

    /** Forgets {@code host} on behalf of {@code remoteUser} (null without users). */
    Answer forget(String remoteUser, String host) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        if (!access.mayAct(remoteUser, host)) {
            return Answer.error(403, "you may forget only hosts you own");
        }
        boolean forgotten;
        try {
            forgotten = commands.forget(host, Access.actor(remoteUser));
        } catch (IllegalStateException e) {
            return Answer.error(409, e.getMessage());
        }
        try {
            overrides.clear(host);
        } catch (IllegalStateException e) {
            return Answer.error(500, host + " is forgotten, but its overrides stay: " + e.getMessage());
        }
        return forgotten ? new Answer(204, null) : noHost(host);
    }

    Answer settings(String host) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        return Answer.ok(overrides.overrides(host));
    }

    /** Replaces the overrides of {@code host}; a key or value the configuration's rules refuse throws. */
    Answer put(String remoteUser, String host, JsonNode body) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        if (!access.mayAct(remoteUser, host)) {
            return Answer.error(403, "you may change the settings only of hosts you own");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue())));
        try {
            return Answer.ok(overrides.set(host, values));
        } catch (IllegalStateException e) {
            return Answer.error(500, e.getMessage());
        }
    }

    Answer clear(String remoteUser, String host) {
        if (hosts.host(host).isEmpty()) {
            return noHost(host);
        }
        if (!access.mayAct(remoteUser, host)) {
            return Answer.error(403, "you may change the settings only of hosts you own");
        }
        try {
            overrides.clear(host);
        } catch (IllegalStateException e) {
            return Answer.error(500, e.getMessage());
        }
        return new Answer(204, null);
    }

    /** A JSON value as plain Java: numbers, strings, booleans, lists, maps, null. */
    private static Object plain(JsonNode v) {
        return v == null || v.isNull() ? null : Api.JSON.convertValue(v, Object.class);
    }

    private static Answer noHost(String host) {
        return Answer.error(404, "no host named \"" + host + "\"");
    }
}
