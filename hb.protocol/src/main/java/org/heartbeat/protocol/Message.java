package org.heartbeat.protocol;

/** A decoded datagram of protocol version 1. */
public sealed interface Message permits ClientMessage, Ack {
    /** The message type. */
    MessageType type();

    /** The sequence number: the sender's for client messages, the acknowledged one for an ACK (unsigned). */
    long seq();

    /** The sender's clock when it sent the datagram, in milliseconds since the Unix epoch. */
    long timeMillis();
}
