package org.heartbeat.server.api;

import java.util.Objects;

/**
 * A command queued for a host: the server repeats it in the ACK of every heartbeat until the client reports it
 * done (docs/PROTOCOL.md, section 7). Immutable.
 */
public final class PendingCommand {
    private final long id;
    private final String name;
    private final String argument;

    /**
     * @param id the command's id, unique and increasing per host, from 1
     * @param name the command, such as {@link HostCommands#PING}
     * @param argument its argument; empty for none
     */
    public PendingCommand(long id, String name, String argument) {
        if (id < 1) {
            throw new IllegalArgumentException("command ids start at 1, got " + id);
        }
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
        this.argument = argument == null ? "" : argument;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The argument; empty for none. */
    public String argument() {
        return argument;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingCommand c && c.id == id && c.name.equals(name) && c.argument.equals(argument);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, argument);
    }

    @Override
    public String toString() {
        return "#" + id + " " + name + (argument.isEmpty() ? "" : " " + argument);
    }
}
