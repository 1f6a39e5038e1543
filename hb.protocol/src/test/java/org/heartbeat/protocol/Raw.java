package org.heartbeat.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Writes datagrams and value trees byte by byte, as docs/PROTOCOL.md lays them out, without the codec, so
 * that tests can build exactly the malformed input they need.
 */
final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Raw bytes() {
        return new Raw();
    }

    /** The common header and client fields up to and including the host name (section 4). */
    static Raw client(int type, int flags, byte[] host) {
        return bytes().u8('H').u8('B').u8(1).u8(type).u8(flags).u8(host.length)
                .i64(1_764_115_200_000_000L).i64(1_764_115_200_123L).raw(host);
    }

    static Raw client(int type, String host) {
        return client(type, 0, host.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete unsigned heartbeat of this host name. */
    static byte[] heartbeat(byte[] host) {
        return client(1, 0, host).u32(10_000).u32(0xFFFF_FFFFL).u32(0).build();
    }

    /** An ACK header: common header, reserved byte, seq, time and command count (section 5). */
    static Raw ack(int commands) {
        return bytes().u8('H').u8('B').u8(1).u8(5).u8(0).u8(0).i64(42).i64(1_764_115_200_125L).u8(commands);
    }

    /** The start of a PLUGIN_DATA datagram up to and including {@code parts}. */
    static Raw pluginData(String plugin, int part, int parts) {
        return client(3, "web1").u32(60_000).u8(plugin.length()).ascii(plugin).u8(part).u8(parts);
    }

    Raw u8(int v) {
        out.write(v);
        return this;
    }

    Raw u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Raw u32(long v) {
        return u16((int) (v >>> 16) & 0xffff).u16((int) v & 0xffff);
    }

    Raw i64(long v) {
        return u32(v >>> 32).u32(v & 0xffff_ffffL);
    }

    Raw f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    Raw raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    Raw hex(String hex) {
        return raw(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    Raw ascii(String s) {
        return raw(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A value-tree string or key: u16 length, then the bytes. */
    Raw str(byte[] utf8) {
        return u16(utf8.length).raw(utf8);
    }

    Raw str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A map tag and count. */
    Raw map(int count) {
        return u8('m').u16(count);
    }

    /** A list tag and count. */
    Raw list(int count) {
        return u8('l').u16(count);
    }

    Raw integer(long v) {
        return u8('i').i64(v);
    }

    byte[] build() {
        return out.toByteArray();
    }
}
