package org.heartbeat.server.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Commands for hosts: queued here, carried to the client in the ACK of its next heartbeat and repeated until
 * the client reports them done (docs/PROTOCOL.md, section 7). Queued commands are kept in the state file, so a
 * server restart loses none. A service of {@code hbd}'s core; safe from any thread, never blocking for long.
 *
 * <pre>{@code
 * commands.queue("web1", HostCommands.SET_INTERVAL, "30")
 *         .orElseThrow(() -> new NoSuchElementException("no host web1"));
 * }</pre>
 */
@ProviderType
public interface HostCommands {
    /** Asks the client to send a heartbeat at once; no argument. */
    String PING = "ping";

    /** Asks the client to heartbeat at a new interval; argument: seconds, a whole number from 1 to 86400. */
    String SET_INTERVAL = "set-interval";

    /**
     * Queues a command.
     *
     * @param host the host's exact name
     * @param command the command: {@link #PING}, {@link #SET_INTERVAL}, or another name of 1 to 32 characters
     *        of {@code a-z 0-9 -} that the host's client understands (clients ignore names they do not know)
     * @param argument its argument, at most 255 bytes of UTF-8; empty for none
     * @return the queued command with its id; empty when no host has that name
     * @throws IllegalArgumentException when the command name or argument breaks those rules, or the argument
     *         of a command this interface names is not what it takes; the message says which
     */
    Optional<PendingCommand> queue(String host, String command, String argument);

    /** The commands waiting for a host, oldest first; empty for an unknown host or none waiting. */
    List<PendingCommand> pending(String host);

    /**
     * Forgets a host at once, as {@code forget_after} does after a long silence: it is dropped from the directory
     * and the state file with its pending commands, a {@code FORGOTTEN} event is journaled, and a datagram from it
     * later makes it a new host. Its settings overrides ({@link HostOverrides}) are not touched; clear them first.
     *
     * @param host the host's exact name
     * @param by who forgets it (a user name, or a word such as {@code "api"}), named in the event's message
     * @return whether a host of that name was tracked
     * @throws IllegalStateException when the host is in the configuration file's {@code hosts:}: it would come
     *         back at once; the message says to remove it there and run {@code hbd reload}
     * @since 1.1
     */
    boolean forget(String host, String by);
}
