package org.heartbeat.plugin.network.internal;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.plugin.support.Clock;

import oshi.PlatformEnum;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.NetworkIF.IfOperStatus;

/**
 * Reads this machine's network interfaces with OSHI, the loopback included. OSHI lists the interfaces Java's
 * {@link NetworkInterface} lists: on Linux those with an address, so an interface without one (often one that is
 * down) is not reported at all. OSHI keeps no count of dropped outgoing packets; on Linux it is read from
 * {@code /sys/class/net/NAME/statistics/tx_dropped}, where OSHI reads the other counters.
 */
final class OshiNetworkSource implements NetworkSource {
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private final HardwareAbstractionLayer hardware;
    private final Clock clock;
    private final boolean linux;

    OshiNetworkSource(Clock clock) {
        this.hardware = new SystemInfo().getHardware();
        this.clock = clock;
        this.linux = SystemInfo.getCurrentPlatform() == PlatformEnum.LINUX;
    }

    @Override
    public NetworkSample sample() {
        List<Interface> out = new ArrayList<>();
        for (NetworkIF n : hardware.getNetworkIFs(true)) {
            NetworkInterface java = n.queryNetworkInterface();
            Map<Counter, Long> counters = new EnumMap<>(Counter.class);
            counters.put(Counter.BYTES_IN, n.getBytesRecv());
            counters.put(Counter.BYTES_OUT, n.getBytesSent());
            counters.put(Counter.PACKETS_IN, n.getPacketsRecv());
            counters.put(Counter.PACKETS_OUT, n.getPacketsSent());
            counters.put(Counter.ERRORS_IN, n.getInErrors());
            counters.put(Counter.ERRORS_OUT, n.getOutErrors());
            counters.put(Counter.DROPS_IN, n.getInDrops());
            Long dropsOut = linux ? linuxTxDropped(n.getName()) : null;
            if (dropsOut != null) {
                counters.put(Counter.DROPS_OUT, dropsOut);
            }
            out.add(new Interface(n.getName(), n.getIndex(), isLoopback(java),
                    up(n.getIfOperStatus(), isUp(java)), n.getSpeed(), n.getMTU(), counters));
        }
        // OSHI read the counters while it listed the interfaces
        return new NetworkSample(clock.nanoTime(), out);
    }

    /**
     * Up or not from the operational state (RFC 2863). Many virtual interfaces, the loopback among them, say
     * {@code UNKNOWN}: for those the administrative flag decides.
     *
     * @param flag the administrative flag, null when unknown
     */
    static Boolean up(IfOperStatus status, Boolean flag) {
        if (status == null || status == IfOperStatus.UNKNOWN) {
            return flag;
        }
        return status == IfOperStatus.UP;
    }

    private static Long linuxTxDropped(String name) {
        try {
            return Long.parseUnsignedLong(Files.readString(SYS_CLASS_NET.resolve(name).resolve("statistics")
                    .resolve("tx_dropped")).strip());
        } catch (IOException | NumberFormatException | InvalidPathException e) {
            return null;
        }
    }

    private static boolean isLoopback(NetworkInterface java) {
        try {
            return java != null && java.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static Boolean isUp(NetworkInterface java) {
        try {
            return java == null ? null : java.isUp();
        } catch (SocketException e) {
            return null;
        }
    }
}
