package org.heartbeat.protocol;

/**
 * A command the server sends to a client inside an {@link Ack}. The server repeats a command in every ACK
 * until the client reports, in a heartbeat's {@code cmd_done}, that it executed it.
 *
 * <p>Commands of version 1: {@code ping} (send a heartbeat now), {@code set-interval} (argument: the new
 * heartbeat interval in seconds). A client ignores names it does not know, but still counts them as done.
 *
 * @param id the command's id, unique and increasing per host, from 1
 * @param name the command name: 1 to 32 characters of {@code a-z}, {@code 0-9} and {@code -}
 * @param argument the argument, possibly empty, at most 255 bytes of UTF-8
 */
public record Command(long id, String name, String argument) {
    /** Longest command name. */
    public static final int MAX_NAME = 32;
    /** Longest argument in UTF-8 bytes. */
    public static final int MAX_ARGUMENT = 255;

    public Command {
        Checks.u32("id", id);
        if (id == 0) {
            throw new IllegalArgumentException("command ids start at 1");
        }
        if (!validName(name)) {
            throw new IllegalArgumentException("bad command name: " + name);
        }
        if (Utf8.length(argument) > MAX_ARGUMENT) {
            throw new IllegalArgumentException("command argument longer than " + MAX_ARGUMENT + " bytes");
        }
    }

    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Bytes this command takes in an ACK. */
    int encodedLength() {
        return 4 + 1 + name.length() + 1 + Utf8.length(argument);
    }
}
