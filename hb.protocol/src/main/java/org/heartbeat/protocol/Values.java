package org.heartbeat.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.protocol.MalformedDatagramException.Reason;

/**
 * Encodes and decodes the value trees of plugin data: maps with string keys, lists, 64-bit integers, finite
 * 64-bit floats, booleans and strings, nested at most {@value Protocol#MAX_DEPTH} deep, with a map at the
 * root.
 *
 * <p>Trees are plain Java objects: {@link Map} with {@link String} keys (order kept), {@link List},
 * {@link Long} (also accepted: {@link Integer}, {@link Short}, {@link Byte}), {@link Double} (also accepted:
 * {@link Float}), {@link Boolean} and {@link String}. Decoding returns unmodifiable maps and lists,
 * {@code Long}, {@code Double}, {@code Boolean} and {@code String}.
 */
public final class Values {
    static final int FALSE = 'F';
    static final int TRUE = 'T';
    static final int INT = 'i';
    static final int FLOAT = 'd';
    static final int STRING = 's';
    static final int LIST = 'l';
    static final int MAP = 'm';
    static final int MAX_COUNT = 0xFFFF;

    private Values() {
    }

    /**
     * Encodes a tree.
     *
     * @throws IllegalArgumentException naming the path of the first value that cannot be encoded: a
     *         non-finite number, an unsupported type, an empty key, a string or collection too long, or
     *         nesting too deep
     */
    public static byte[] encode(Map<String, ?> root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeMap(out, root, "", 1);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value, String path, int depth) {
        if (value instanceof Boolean b) {
            out.write(b ? TRUE : FALSE);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.write(INT);
            writeLong(out, ((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(at(path) + "is " + d + "; only finite numbers can be sent "
                        + "(leave out a value that cannot be measured)");
            }
            out.write(FLOAT);
            writeLong(out, Double.doubleToRawLongBits(d));
        } else if (value instanceof String s) {
            out.write(STRING);
            writeString(out, s, path);
        } else if (value instanceof List<?> list) {
            nested(path, depth);
            count(path, list.size());
            out.write(LIST);
            writeShort(out, list.size());
            for (int i = 0; i < list.size(); i++) {
                write(out, list.get(i), path + "/" + i, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            nested(path, depth);
            @SuppressWarnings("unchecked")
            Map<String, ?> m = (Map<String, ?>) map;
            writeMap(out, m, path, depth + 1);
        } else {
            throw new IllegalArgumentException(at(path) + "has unsupported type "
                    + (value == null ? "null (leave the key out instead)" : value.getClass().getName()));
        }
    }

    private static void writeMap(ByteArrayOutputStream out, Map<String, ?> map, String path, int depth) {
        count(path, map.size());
        out.write(MAP);
        writeShort(out, map.size());
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String k) || k.isEmpty()) {
                throw new IllegalArgumentException(at(path) + "has a key that is not a non-empty string: " + key);
            }
            writeString(out, k, path);
            write(out, e.getValue(), path + "/" + k.replace("~", "~0").replace("/", "~1"), depth);
        }
    }

    private static void nested(String path, int depth) {
        if (depth >= Protocol.MAX_DEPTH) {
            throw new IllegalArgumentException(at(path) + "is nested deeper than " + Protocol.MAX_DEPTH);
        }
    }

    private static void count(String path, int n) {
        if (n > MAX_COUNT) {
            throw new IllegalArgumentException(at(path) + "has " + n + " elements; the limit is " + MAX_COUNT);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s, String path) {
        byte[] bytes = Utf8.encode(s);
        if (bytes.length > MAX_COUNT) {
            throw new IllegalArgumentException(at(path) + "has a string of " + bytes.length + " bytes; the limit is "
                    + MAX_COUNT);
        }
        writeShort(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static String at(String path) {
        return "value at \"" + (path.isEmpty() ? "/" : path) + "\" ";
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }

    /** Decodes a whole encoded tree. */
    public static Map<String, Object> decode(byte[] encoded) throws MalformedDatagramException {
        return decode(ByteBuffer.wrap(encoded));
    }

    /** Decodes the tree between the buffer's position and limit, which must hold exactly one map. */
    public static Map<String, Object> decode(ByteBuffer encoded) throws MalformedDatagramException {
        ByteBuffer in = encoded.slice();
        if (!in.hasRemaining()) {
            throw new MalformedDatagramException(Reason.TRUNCATED, "empty value");
        }
        if ((in.get(0) & 0xff) != MAP) {
            throw new MalformedDatagramException(Reason.BAD_VALUE, "the root value must be a map");
        }
        Object root = read(in, 1);
        if (in.hasRemaining()) {
            throw new MalformedDatagramException(Reason.TRAILING_BYTES,
                    in.remaining() + " bytes after the value tree");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return map;
    }

    private static Object read(ByteBuffer in, int depth) throws MalformedDatagramException {
        need(in, 1);
        int tag = in.get() & 0xff;
        switch (tag) {
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case INT:
                need(in, 8);
                return in.getLong();
            case FLOAT: {
                need(in, 8);
                double d = in.getDouble();
                if (!Double.isFinite(d)) {
                    throw new MalformedDatagramException(Reason.NON_FINITE, "non-finite number in value tree");
                }
                return d;
            }
            case STRING:
                return readString(in);
            case LIST: {
                deeper(depth);
                int n = readCount(in);
                List<Object> list = new ArrayList<>(Math.min(n, in.remaining()));
                for (int i = 0; i < n; i++) {
                    list.add(read(in, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case MAP: {
                deeper(depth);
                int n = readCount(in);
                Map<String, Object> map = new LinkedHashMap<>(Math.min(n, in.remaining()) * 4 / 3 + 1);
                for (int i = 0; i < n; i++) {
                    String key = readString(in);
                    if (key.isEmpty()) {
                        throw new MalformedDatagramException(Reason.BAD_VALUE, "empty map key in value tree");
                    }
                    if (map.put(key, read(in, depth + 1)) != null) {
                        throw new MalformedDatagramException(Reason.BAD_VALUE, "duplicate map key in value tree");
                    }
                }
                return Collections.unmodifiableMap(map);
            }
            default:
                throw new MalformedDatagramException(Reason.BAD_VALUE,
                        String.format("unknown value tag 0x%02x", tag));
        }
    }

    private static void deeper(int depth) throws MalformedDatagramException {
        if (depth > Protocol.MAX_DEPTH) {
            throw new MalformedDatagramException(Reason.BAD_VALUE,
                    "value tree nested deeper than " + Protocol.MAX_DEPTH);
        }
    }

    private static int readCount(ByteBuffer in) throws MalformedDatagramException {
        need(in, 2);
        return in.getShort() & 0xffff;
    }

    private static String readString(ByteBuffer in) throws MalformedDatagramException {
        int n = readCount(in);
        need(in, n);
        String s = Utf8.decode(in, in.position(), n);
        if (s == null) {
            throw new MalformedDatagramException(Reason.BAD_UTF8, "invalid UTF-8 in value tree");
        }
        in.position(in.position() + n);
        return s;
    }

    private static void need(ByteBuffer in, int n) throws MalformedDatagramException {
        if (in.remaining() < n) {
            throw new MalformedDatagramException(Reason.TRUNCATED, "value tree ends early");
        }
    }
}
