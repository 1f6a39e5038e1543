package org.heartbeat.protocol;

import java.util.List;

/**
 * The server's answer to a heartbeat or boot message (type 5).
 *
 * @param seq the sequence number of the datagram acknowledged
 * @param timeMillis the server's clock when it answered
 * @param commands commands for the client, oldest first; the client executes each id once
 */
public record Ack(long seq, long timeMillis, List<Command> commands) implements Message {

    public Ack {
        commands = List.copyOf(commands);
        if (commands.size() > Protocol.MAX_COMMANDS) {
            throw new IllegalArgumentException("an ACK carries at most " + Protocol.MAX_COMMANDS + " commands");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.ACK;
    }
}
