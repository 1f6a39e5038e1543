package org.heartbeat.client.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.heartbeat.protocol.Protocol;

/**
 * One server the client reports to: its name, where it was last resolved to, and the datagrams sent to
 * it that still wait for an ACK, from which the round-trip time is measured. Thread-safe.
 */
final class ServerLink {
    /** ACKs may arrive late; this many sent heartbeats are remembered per server. */
    static final int OUTSTANDING = 8;

    final String host;
    final int port;
    private volatile InetSocketAddress address;
    private final long[] sentSeq = new long[OUTSTANDING];
    private final long[] sentNanos = new long[OUTSTANDING];
    private final boolean[] pending = new boolean[OUTSTANDING];
    private int next;
    private volatile long rttMicros = -1;
    private int unanswered;
    /** The highest id of the commands this server sent that were executed (ids are per server). */
    private long commandsDone;

    ServerLink(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ServerLink parse(String spec, int defaultPort) {
        String s = spec.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty server name");
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server " + spec + ": missing ]");
            }
            String host = requireHost(spec, s.substring(1, close));
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new ServerLink(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("server " + spec + ": expected :port after ]");
            }
            return new ServerLink(host, port(spec, rest.substring(1)));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':')) {
            return new ServerLink(requireHost(spec, s.substring(0, colon)), port(spec, s.substring(colon + 1)));
        }
        return new ServerLink(s, defaultPort);
    }

    private static String requireHost(String spec, String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server " + spec + ": no host name or address");
        }
        return host;
    }

    private static int port(String spec, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server " + spec + ": port must be a number from 1 to 65535");
        }
    }

    /** Looks the name up again; keeps the old address when the look-up fails. */
    InetSocketAddress resolve() throws UnknownHostException {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(host), port);
        address = a;
        return a;
    }

    InetSocketAddress address() {
        return address;
    }

    /** Records a heartbeat sent now with this sequence number. */
    synchronized void sent(long seq, long nanos) {
        sentSeq[next] = seq;
        sentNanos[next] = nanos;
        pending[next] = true;
        next = (next + 1) % OUTSTANDING;
        unanswered++;
    }

    /**
     * Takes the ACK of {@code seq} and measures the round trip; false when no heartbeat with that sequence
     * number waits for an ACK (never sent, acknowledged already, or too old).
     */
    synchronized boolean acknowledged(long seq, long nowNanos) {
        for (int i = 0; i < OUTSTANDING; i++) {
            if (pending[i] && sentSeq[i] == seq) {
                pending[i] = false;
                // an ACK read hours late (a suspended process) must still fit the 32-bit rtt_us field
                rttMicros = Math.min(Math.max(0, (nowNanos - sentNanos[i]) / 1000), Protocol.NO_RTT - 1);
                unanswered = 0;
                return true;
            }
        }
        return false;
    }

    /** The last round trip measured, µs, or -1. */
    long rttMicros() {
        return rttMicros;
    }

    /** Heartbeats sent since the last ACK. */
    synchronized int unanswered() {
        return unanswered;
    }

    /** The highest command id executed from this server; reported in heartbeats to it. */
    synchronized long commandsDone() {
        return commandsDone;
    }

    /** Records that command {@code id} is to be executed; false when it was executed already. */
    synchronized boolean take(long id) {
        if (id <= commandsDone) {
            return false;
        }
        commandsDone = id;
        return true;
    }

    /** Whether this server has ever answered. */
    boolean everAnswered() {
        return rttMicros >= 0;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
