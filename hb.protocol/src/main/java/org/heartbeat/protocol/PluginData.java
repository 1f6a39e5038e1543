package org.heartbeat.protocol;

import java.util.Arrays;

/**
 * One part of a plugin sample (type 3). A sample whose encoded value tree does not fit one datagram is
 * split into {@code parts} datagrams with consecutive sequence numbers; concatenating their fragments in
 * part order gives the encoded tree ({@link Values#decode(byte[])}). The sample is identified by
 * {@link #sampleSeq()}, the sequence number of part 0.
 *
 * @param host the host name
 * @param seq the sequence number of this datagram
 * @param timeMillis when the sample was collected, by the sender's clock
 * @param intervalMillis the plugin's collection interval in milliseconds; 0 when not announced
 * @param plugin the plugin name, for example {@code cpu_monitor}
 * @param part this datagram's index within the sample, from 0
 * @param parts how many datagrams the sample has, 1 to {@value Protocol#MAX_PARTS}
 * @param fragment this datagram's share of the encoded value tree
 */
public record PluginData(
        String host,
        long seq,
        long timeMillis,
        long intervalMillis,
        String plugin,
        int part,
        int parts,
        byte[] fragment) implements ClientMessage {

    public PluginData {
        HostNames.check(host);
        Checks.u32("intervalMillis", intervalMillis);
        PluginNames.check(plugin);
        if (parts < 1 || parts > Protocol.MAX_PARTS || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + " is out of range");
        }
        if (fragment.length == 0) {
            throw new IllegalArgumentException("a plugin data datagram carries at least one byte of values");
        }
        fragment = fragment.clone();
    }

    @Override
    public MessageType type() {
        return MessageType.PLUGIN_DATA;
    }

    @Override
    public byte[] fragment() {
        return fragment.clone();
    }

    /** The sequence number of part 0 of this sample, which identifies the sample. */
    public long sampleSeq() {
        return seq - part;
    }

    /** Whether the whole sample is in this one datagram. */
    public boolean complete() {
        return parts == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginData other
                && host.equals(other.host) && seq == other.seq && timeMillis == other.timeMillis
                && intervalMillis == other.intervalMillis && plugin.equals(other.plugin)
                && part == other.part && parts == other.parts && Arrays.equals(fragment, other.fragment);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "PluginData[host=" + host + ", seq=" + Long.toUnsignedString(seq) + ", plugin=" + plugin
                + ", part=" + part + "/" + parts + ", " + fragment.length + " bytes]";
    }
}
