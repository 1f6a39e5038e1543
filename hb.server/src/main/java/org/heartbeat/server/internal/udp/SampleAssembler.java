package org.heartbeat.server.internal.udp;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.heartbeat.protocol.PluginData;

/**
 * Puts plugin samples split over several datagrams back together (docs/PROTOCOL.md, section 6.3). Parts of
 * one sample share host, plugin, time and {@code seq - part}; once all are in, their fragments in part order
 * are the encoded value tree. A sample not complete within the timeout is dropped, and so is the oldest
 * incomplete one when the parts waiting would exceed the byte limit, so a sender that never finishes costs
 * bounded memory. Used by the receiver's one thread: not thread-safe.
 */
final class SampleAssembler {
    /** How long the parts of a sample may take to arrive, from the first one in. */
    static final long TIMEOUT_MILLIS = 10_000;

    private record Key(String host, String plugin, long sampleSeq) {
    }

    private static final class Pending {
        final long firstMillis;
        final long timeMillis;
        final byte[][] fragments;
        int received;
        int bytes;

        Pending(long firstMillis, long timeMillis, int parts) {
            this.firstMillis = firstMillis;
            this.timeMillis = timeMillis;
            this.fragments = new byte[parts][];
        }
    }

    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    private final long maxBytes;
    private final long timeoutMillis;
    private long bytes;
    private volatile long dropped;
    private volatile long duplicates;
    private volatile long inconsistent;

    SampleAssembler(long maxBytes, long timeoutMillis) {
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Adds one part.
     *
     * @return the encoded value tree when this part completes its sample (at once for a one-part sample),
     *         otherwise null
     */
    byte[] add(PluginData part, long nowMillis) {
        expire(nowMillis);
        if (part.complete()) {
            return part.fragment();
        }
        Key key = new Key(part.host(), part.plugin(), part.sampleSeq());
        Pending p = pending.get(key);
        if (p == null) {
            p = new Pending(nowMillis, part.timeMillis(), part.parts());
            pending.put(key, p);
        } else if (p.fragments.length != part.parts() || p.timeMillis != part.timeMillis()) {
            // parts that cannot belong together: neither can be trusted
            inconsistent++;
            forget(key, p);
            return null;
        }
        if (p.fragments[part.part()] != null) {
            duplicates++;
            return null;
        }
        byte[] fragment = part.fragment();
        p.fragments[part.part()] = fragment;
        p.received++;
        p.bytes += fragment.length;
        bytes += fragment.length;
        if (p.received < p.fragments.length) {
            while (bytes > maxBytes && !pending.isEmpty()) {
                Iterator<Map.Entry<Key, Pending>> oldest = pending.entrySet().iterator();
                Map.Entry<Key, Pending> e = oldest.next();
                oldest.remove();
                bytes -= e.getValue().bytes;
                dropped++;
            }
            return null;
        }
        pending.remove(key);
        bytes -= p.bytes;
        ByteArrayOutputStream whole = new ByteArrayOutputStream(p.bytes);
        for (byte[] f : p.fragments) {
            whole.writeBytes(f);
        }
        return whole.toByteArray();
    }

    private void expire(long nowMillis) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (nowMillis - p.firstMillis < timeoutMillis) {
                return; // in arrival order: the rest are younger
            }
            it.remove();
            bytes -= p.bytes;
            dropped++;
        }
    }

    private void forget(Key key, Pending p) {
        pending.remove(key);
        bytes -= p.bytes;
    }

    /** Samples dropped incomplete: timed out or pushed out by the byte limit. */
    long dropped() {
        return dropped;
    }

    /** Parts received twice. */
    long duplicates() {
        return duplicates;
    }

    /** Samples dropped because their parts disagreed on the part count or the time. */
    long inconsistent() {
        return inconsistent;
    }

    /** Samples waiting for parts. */
    int waiting() {
        return pending.size();
    }

    /** Bytes of the parts waiting. */
    long waitingBytes() {
        return bytes;
    }
}
