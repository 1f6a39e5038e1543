package org.heartbeat.protocol;

/** The message types of protocol version 1, with their code in byte 3 of a datagram. */
public enum MessageType {
    /** Client to server: I am alive. Answered by an {@link #ACK}. */
    HEARTBEAT(1),
    /** Client to server: I have just started; also counts as a heartbeat and is answered by an {@link #ACK}. */
    BOOT(2),
    /** Client to server: one part of a plugin's value tree. Never answered. */
    PLUGIN_DATA(3),
    /** Client to server: a plugin failed to produce values. Never answered. */
    PLUGIN_ERROR(4),
    /** Server to client: a heartbeat or boot message was accepted; may carry commands. */
    ACK(5);

    private static final MessageType[] BY_CODE = new MessageType[6];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The value of the type byte. */
    public int code() {
        return code;
    }

    /** The type with this code, or {@code null} when the code is not one of version 1. */
    public static MessageType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
