package org.heartbeat.protocol;

/** Limits and constants of protocol version 1; {@code docs/PROTOCOL.md} explains each. */
public final class Protocol {
    /** The protocol version this codec speaks. */
    public static final int VERSION = 1;
    /** No datagram of any type is longer: 1,500 bytes of Ethernet MTU less IPv6 (40) and UDP (8) headers. */
    public static final int MAX_DATAGRAM = 1452;
    /** Length of the HMAC-SHA256 trailer of a signed datagram. */
    public static final int MAC_LENGTH = 32;
    /** Length of a host key: 256 bits. */
    public static final int KEY_LENGTH = 32;
    /** Flag bit: the datagram ends with an HMAC-SHA256 trailer. */
    public static final int FLAG_SIGNED = 0x01;
    /** The longest host name, in UTF-8 bytes. */
    public static final int MAX_HOST_NAME = 255;
    /** The longest plugin name, in bytes. */
    public static final int MAX_PLUGIN_NAME = 64;
    /** The most datagrams one plugin sample may be split into. */
    public static final int MAX_PARTS = 64;
    /** The deepest nesting of lists and maps in a value tree; the root map is depth 1. */
    public static final int MAX_DEPTH = 16;
    /** The longest plugin error message, in UTF-8 bytes. */
    public static final int MAX_ERROR_MESSAGE = 1024;
    /** The most commands one ACK carries. */
    public static final int MAX_COMMANDS = 255;
    /** Wire value of {@code rtt_us} when no round trip has been measured yet. */
    public static final long NO_RTT = 0xFFFF_FFFFL;
    /** Largest value of an unsigned 32-bit field. */
    public static final long MAX_U32 = 0xFFFF_FFFFL;

    static final byte MAGIC_0 = 'H';
    static final byte MAGIC_1 = 'B';
    /** Bytes before the host name in a client message. */
    static final int CLIENT_HEADER = 22;
    /** Length of an ACK without commands and without MAC. */
    static final int ACK_HEADER = 23;
    /** Body of a heartbeat: interval_ms, rtt_us, cmd_done. */
    static final int HEARTBEAT_BODY = 12;
    /** Body of a boot message: a heartbeat body plus boot_time_ms. */
    static final int BOOT_BODY = 20;

    private Protocol() {
    }
}
