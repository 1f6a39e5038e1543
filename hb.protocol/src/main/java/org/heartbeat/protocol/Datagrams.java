package org.heartbeat.protocol;

import static org.heartbeat.protocol.Protocol.ACK_HEADER;
import static org.heartbeat.protocol.Protocol.BOOT_BODY;
import static org.heartbeat.protocol.Protocol.CLIENT_HEADER;
import static org.heartbeat.protocol.Protocol.FLAG_SIGNED;
import static org.heartbeat.protocol.Protocol.HEARTBEAT_BODY;
import static org.heartbeat.protocol.Protocol.MAC_LENGTH;
import static org.heartbeat.protocol.Protocol.MAX_DATAGRAM;
import static org.heartbeat.protocol.Protocol.NO_RTT;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

import org.heartbeat.protocol.MalformedDatagramException.Reason;

/**
 * Encodes messages into datagrams and decodes datagrams into messages, as {@code docs/PROTOCOL.md}
 * specifies. Encoders never produce a datagram longer than {@value Protocol#MAX_DATAGRAM} bytes; the
 * decoder accepts only datagrams that follow the specification to the letter and says why it refuses the
 * others. Authentication is separate: decode, then {@link HostKey#verify(ByteBuffer)} with the key of the
 * host the message names.
 */
public final class Datagrams {
    private Datagrams() {
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes a client message, signed when {@code key} is not null. */
    public static byte[] encode(ClientMessage message, HostKey key) {
        ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
        int n = encode(message, key, out);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    /**
     * Encodes a client message at the buffer's position, signed when {@code key} is not null, and returns its
     * length; the buffer's position is left after it.
     *
     * @throws IllegalArgumentException when the message does not fit one datagram
     */
    public static int encode(ClientMessage message, HostKey key, ByteBuffer out) {
        int start = out.position();
        byte[] host = Utf8.encode(message.host());
        header(out, message.type(), key, host.length);
        out.putLong(message.seq());
        out.putLong(message.timeMillis());
        out.put(host);
        out.putInt((int) message.intervalMillis());
        if (message instanceof Heartbeat hb) {
            out.putInt((int) (hb.hasRtt() ? hb.rttMicros() : NO_RTT));
            out.putInt((int) hb.commandsDone());
            if (hb.boot()) {
                out.putLong(hb.bootTimeMillis());
            }
        } else if (message instanceof PluginData pd) {
            byte[] plugin = Utf8.encode(pd.plugin());
            byte[] fragment = pd.fragment();
            requireRoom(out, start, 1 + plugin.length + 2 + fragment.length, key);
            out.put((byte) plugin.length).put(plugin);
            out.put((byte) pd.part()).put((byte) pd.parts());
            out.put(fragment);
        } else {
            PluginError pe = (PluginError) message;
            byte[] plugin = Utf8.encode(pe.plugin());
            byte[] text = Utf8.encode(pe.message());
            requireRoom(out, start, 1 + plugin.length + 2 + text.length, key);
            out.put((byte) plugin.length).put(plugin);
            out.putShort((short) text.length).put(text);
        }
        return finish(out, start, key);
    }

    /** Encodes an ACK with all of its commands, signed when {@code key} is not null. */
    public static byte[] encode(Ack ack, HostKey key) {
        ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
        int n = encode(ack, key, out);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    /** Encodes an ACK at the buffer's position and returns its length. */
    public static int encode(Ack ack, HostKey key, ByteBuffer out) {
        int length = ACK_HEADER + (key == null ? 0 : MAC_LENGTH);
        for (Command c : ack.commands()) {
            length += c.encodedLength();
        }
        if (length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("ACK of " + length + " bytes does not fit one datagram; use ackFitting");
        }
        int start = out.position();
        header(out, MessageType.ACK, key, 0);
        out.putLong(ack.seq());
        out.putLong(ack.timeMillis());
        out.put((byte) ack.commands().size());
        for (Command c : ack.commands()) {
            byte[] arg = Utf8.encode(c.argument());
            out.putInt((int) c.id());
            out.put((byte) c.name().length()).put(Utf8.encode(c.name()));
            out.put((byte) arg.length).put(arg);
        }
        return finish(out, start, key);
    }

    /**
     * The ACK for a request of {@code requestLength} bytes: it carries as many of the {@code queued} commands,
     * oldest first, as keep it no longer than the request, so that the server never sends more bytes than it
     * received.
     */
    public static Ack ackFitting(long seq, long timeMillis, List<Command> queued, int requestLength, boolean signed) {
        int budget = Math.min(requestLength, MAX_DATAGRAM) - ACK_HEADER - (signed ? MAC_LENGTH : 0);
        int n = 0;
        for (Command c : queued) {
            int len = c.encodedLength();
            if (len > budget || n == Protocol.MAX_COMMANDS) {
                break;
            }
            budget -= len;
            n++;
        }
        return new Ack(seq, timeMillis, n == queued.size() ? queued : queued.subList(0, n));
    }

    /**
     * Encodes a plugin sample into as many datagrams as it needs (at most {@value Protocol#MAX_PARTS}).
     *
     * @param reserveSeqs given the number of datagrams, returns the first of that many consecutive sequence
     *        numbers reserved for them
     * @throws IllegalArgumentException when the tree cannot be encoded or needs more than
     *         {@value Protocol#MAX_PARTS} datagrams
     */
    public static List<byte[]> encodePluginSample(String host, long timeMillis, long intervalMillis, String plugin,
            Map<String, ?> tree, HostKey key, IntToLongFunction reserveSeqs) {
        HostNames.check(host);
        PluginNames.check(plugin);
        byte[] encoded = Values.encode(tree);
        int room = maxFragment(host, plugin, key != null);
        int parts = Math.max(1, (encoded.length + room - 1) / room);
        if (parts > Protocol.MAX_PARTS) {
            throw new IllegalArgumentException("plugin " + plugin + " produced " + encoded.length
                    + " bytes of values; the limit is " + Protocol.MAX_PARTS + " datagrams (" + room * Protocol.MAX_PARTS
                    + " bytes)");
        }
        long first = reserveSeqs.applyAsLong(parts);
        List<byte[]> datagrams = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            int from = i * room;
            int to = Math.min(encoded.length, from + room);
            byte[] fragment = java.util.Arrays.copyOfRange(encoded, from, to);
            datagrams.add(encode(new PluginData(host, first + i, timeMillis, intervalMillis, plugin, i, parts,
                    fragment), key));
        }
        return datagrams;
    }

    /** The most value bytes one PLUGIN_DATA datagram of this host and plugin can carry. */
    public static int maxFragment(String host, String plugin, boolean signed) {
        return MAX_DATAGRAM - CLIENT_HEADER - Utf8.length(host) - 4 - 1 - Utf8.length(plugin) - 2
                - (signed ? MAC_LENGTH : 0);
    }

    private static void header(ByteBuffer out, MessageType type, HostKey key, int nameLength) {
        out.put(Protocol.MAGIC_0).put(Protocol.MAGIC_1).put((byte) Protocol.VERSION).put((byte) type.code());
        out.put((byte) (key == null ? 0 : FLAG_SIGNED));
        out.put((byte) nameLength);
    }

    private static void requireRoom(ByteBuffer out, int start, int bodyRest, HostKey key) {
        int total = out.position() - start + bodyRest + (key == null ? 0 : MAC_LENGTH);
        if (total > MAX_DATAGRAM) {
            throw new IllegalArgumentException("message needs " + total + " bytes; a datagram holds at most "
                    + MAX_DATAGRAM);
        }
    }

    private static int finish(ByteBuffer out, int start, HostKey key) {
        if (key != null) {
            int signedLength = out.position() - start;
            key.sign(out, start, signedLength, out.position());
            out.position(out.position() + MAC_LENGTH);
        }
        return out.position() - start;
    }

    // ---------------------------------------------------------------- decoding

    /** Whether the datagram between position and limit has the signed flag set (it may still be invalid). */
    public static boolean signed(ByteBuffer datagram) {
        return datagram.remaining() > 4 && (datagram.get(datagram.position() + 4) & FLAG_SIGNED) != 0;
    }

    /**
     * Decodes the datagram between the buffer's position and limit; the buffer is not changed. A signed
     * datagram's MAC is not checked here: see {@link HostKey#verify(ByteBuffer)}.
     *
     * @throws MalformedDatagramException when the datagram does not follow the protocol
     */
    public static Message decode(ByteBuffer datagram) throws MalformedDatagramException {
        int p = datagram.position();
        int length = datagram.remaining();
        if (length > MAX_DATAGRAM) {
            throw new MalformedDatagramException(Reason.OVERSIZED, length + " bytes; the limit is " + MAX_DATAGRAM);
        }
        if (length < 6) {
            throw new MalformedDatagramException(Reason.TRUNCATED, length + " bytes is shorter than any message");
        }
        if (datagram.get(p) != Protocol.MAGIC_0 || datagram.get(p + 1) != Protocol.MAGIC_1) {
            throw new MalformedDatagramException(Reason.BAD_MAGIC, "not a Heartbeat datagram");
        }
        int version = datagram.get(p + 2) & 0xff;
        if (version != Protocol.VERSION) {
            throw new MalformedDatagramException(Reason.UNKNOWN_VERSION, "protocol version " + version);
        }
        MessageType type = MessageType.ofCode(datagram.get(p + 3) & 0xff);
        if (type == null) {
            throw new MalformedDatagramException(Reason.UNKNOWN_TYPE,
                    "message type " + (datagram.get(p + 3) & 0xff));
        }
        int flags = datagram.get(p + 4) & 0xff;
        if ((flags & ~FLAG_SIGNED) != 0) {
            throw new MalformedDatagramException(Reason.BAD_FLAGS, String.format("unknown flags 0x%02x", flags));
        }
        int end = p + length - ((flags & FLAG_SIGNED) != 0 ? MAC_LENGTH : 0);
        Reader in = new Reader(datagram, p + 5, end);
        return type == MessageType.ACK ? decodeAck(in) : decodeClient(in, type);
    }

    private static ClientMessage decodeClient(Reader in, MessageType type) throws MalformedDatagramException {
        int nameLength = in.u8();
        long seq = in.i64();
        long time = in.i64();
        if (nameLength == 0) {
            throw new MalformedDatagramException(Reason.BAD_HOST_NAME, "empty host name");
        }
        String host = in.utf8(nameLength);
        String problem = HostNames.problem(host);
        if (problem != null) {
            throw new MalformedDatagramException(Reason.BAD_HOST_NAME, problem);
        }
        long interval = in.u32();
        ClientMessage message;
        switch (type) {
            case HEARTBEAT, BOOT -> {
                long rtt = in.u32();
                long done = in.u32();
                long bootTime = type == MessageType.BOOT ? in.i64() : 0;
                message = new Heartbeat(host, seq, time, interval, rtt == NO_RTT ? -1 : rtt, done,
                        type == MessageType.BOOT, bootTime);
            }
            case PLUGIN_DATA -> {
                String plugin = pluginName(in);
                int part = in.u8();
                int parts = in.u8();
                if (parts == 0 || parts > Protocol.MAX_PARTS || part >= parts) {
                    throw new MalformedDatagramException(Reason.BAD_FIELD, "part " + part + " of " + parts);
                }
                if (in.remaining() == 0) {
                    throw new MalformedDatagramException(Reason.TRUNCATED, "plugin data without values");
                }
                byte[] fragment = in.bytes(in.remaining());
                message = new PluginData(host, seq, time, interval, plugin, part, parts, fragment);
            }
            case PLUGIN_ERROR -> {
                String plugin = pluginName(in);
                int n = in.u16();
                if (n > Protocol.MAX_ERROR_MESSAGE) {
                    throw new MalformedDatagramException(Reason.BAD_FIELD, "error message of " + n + " bytes");
                }
                message = new PluginError(host, seq, time, interval, plugin, in.utf8(n));
            }
            default -> throw new AssertionError(type);
        }
        in.end();
        return message;
    }

    private static String pluginName(Reader in) throws MalformedDatagramException {
        String plugin = in.utf8(in.u8());
        if (!PluginNames.valid(plugin)) {
            throw new MalformedDatagramException(Reason.BAD_PLUGIN_NAME, "bad plugin name");
        }
        return plugin;
    }

    private static Ack decodeAck(Reader in) throws MalformedDatagramException {
        if (in.u8() != 0) {
            throw new MalformedDatagramException(Reason.BAD_FIELD, "reserved byte of ACK is not 0");
        }
        long seq = in.i64();
        long time = in.i64();
        int n = in.u8();
        List<Command> commands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = in.u32();
            String name = in.utf8(in.u8());
            String arg = in.utf8(in.u8());
            if (id == 0 || !Command.validName(name)) {
                throw new MalformedDatagramException(Reason.BAD_FIELD, "bad command");
            }
            commands.add(new Command(id, name, arg));
        }
        in.end();
        return new Ack(seq, time, commands);
    }

    /** Bounds-checked absolute reads over one datagram. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final int end;
        private int pos;

        Reader(ByteBuffer buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        private void need(int n) throws MalformedDatagramException {
            if (end - pos < n) {
                throw new MalformedDatagramException(Reason.TRUNCATED, "datagram ends early");
            }
        }

        int remaining() {
            return end - pos;
        }

        int u8() throws MalformedDatagramException {
            need(1);
            return buf.get(pos++) & 0xff;
        }

        int u16() throws MalformedDatagramException {
            need(2);
            int v = buf.getShort(pos) & 0xffff;
            pos += 2;
            return v;
        }

        long u32() throws MalformedDatagramException {
            need(4);
            long v = buf.getInt(pos) & 0xffff_ffffL;
            pos += 4;
            return v;
        }

        long i64() throws MalformedDatagramException {
            need(8);
            long v = buf.getLong(pos);
            pos += 8;
            return v;
        }

        String utf8(int n) throws MalformedDatagramException {
            need(n);
            String s = Utf8.decode(buf, pos, n);
            if (s == null) {
                throw new MalformedDatagramException(Reason.BAD_UTF8, "invalid UTF-8");
            }
            pos += n;
            return s;
        }

        byte[] bytes(int n) throws MalformedDatagramException {
            need(n);
            byte[] b = new byte[n];
            buf.get(pos, b);
            pos += n;
            return b;
        }

        void end() throws MalformedDatagramException {
            if (pos != end) {
                throw new MalformedDatagramException(Reason.TRAILING_BYTES, (end - pos) + " unexpected bytes");
            }
        }
    }
}
