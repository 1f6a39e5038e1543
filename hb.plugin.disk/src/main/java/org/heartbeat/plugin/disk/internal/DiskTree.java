package org.heartbeat.plugin.disk.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.heartbeat.api.Metrics;

/**
 * Turns the mounted filesystems into the values of {@code disk_monitor}, with the names and meanings of
 * {@code hbc_mini}:
 *
 * <pre>{@code
 * {partitions={/={device=/dev/sda1, fstype=ext4, total=1000, used=400, free=550, percent=42.1,
 *              inodes_total=100, inodes_used=10, inodes_free=90, inodes_percent=10.0, readonly=false}}}
 * }</pre>
 *
 * {@code free} is what users other than root may still write, {@code used} is {@code total} less what is free
 * for root, and {@code percent} is {@code used / (used + free)}, as {@code df} shows it; the space reserved for
 * root is thus in neither. The inode figures are left out where the filesystem counts no inodes,
 * {@code readonly} where the mount options say neither {@code ro} nor {@code rw}.
 *
 * <p>Which filesystems, in this order: when two mounts share a mount point only the later one counts, since it
 * hides the earlier one; those the {@link DiskFilter} refuses are skipped, then those of 0 bytes; of a device
 * mounted more than once (a bind mount) only the first mount left is reported. A device is known by its name when
 * the name is a path or a network export ({@code /dev/sda1}, {@code //nas/share}, {@code nas:/export},
 * {@code pool/dataset}); names such as {@code tmpfs} or {@code none} name no device and are never merged.
 * Without any filesystem, {@code partitions} is an empty map.
 */
final class DiskTree {
    private DiskTree() {
    }

    static Metrics build(List<Mount> mounts, DiskFilter filter) {
        Map<String, Mount> visible = new LinkedHashMap<>();
        for (Mount m : mounts) {
            if (m.mountPoint() != null && !m.mountPoint().isEmpty()) {
                visible.remove(m.mountPoint());
                visible.put(m.mountPoint(), m);
            }
        }
        Set<String> devices = new HashSet<>();
        Metrics.Builder partitions = Metrics.builder();
        for (Mount m : visible.values()) {
            if (!filter.accepts(m.mountPoint(), m.fstype()) || m.total() <= 0
                    || namesDevice(m.device()) && !devices.add(m.device())) {
                continue;
            }
            partitions.map(m.mountPoint(), p -> partition(p, m));
        }
        return Metrics.builder().put("partitions", partitions.build()).build();
    }

    private static void partition(Metrics.Builder p, Mount m) {
        if (m.device() != null && !m.device().isEmpty()) {
            p.put("device", m.device());
        }
        if (m.fstype() != null && !m.fstype().isEmpty()) {
            p.put("fstype", m.fstype());
        }
        long used = Math.max(m.total() - Math.max(m.free(), 0), 0);
        long free = Math.max(m.usable(), 0);
        p.put("total", m.total());
        p.put("used", used);
        p.put("free", free);
        double usedAndFree = (double) used + free;
        if (usedAndFree > 0) {
            p.put("percent", percent(used, usedAndFree));
        }
        if (m.inodesTotal() > 0) {
            long inodesFree = Math.min(Math.max(m.inodesFree(), 0), m.inodesTotal());
            long inodesUsed = m.inodesTotal() - inodesFree;
            p.put("inodes_total", m.inodesTotal());
            p.put("inodes_used", inodesUsed);
            p.put("inodes_free", inodesFree);
            p.put("inodes_percent", percent(inodesUsed, m.inodesTotal()));
        }
        Boolean readonly = readonly(m.options());
        if (readonly != null) {
            p.put("readonly", readonly.booleanValue());
        }
    }

    private static double percent(double part, double whole) {
        return Math.max(0.0, Math.min(100.0, 100.0 * part / whole));
    }

    /** Whether a device name identifies one filesystem: a path, a network export or a dataset. */
    static boolean namesDevice(String device) {
        return device != null && (device.indexOf('/') >= 0 || device.indexOf(':') >= 0);
    }

    /** {@code true} for option {@code ro}, {@code false} for {@code rw}, null when there is neither. */
    static Boolean readonly(String options) {
        if (options == null) {
            return null;
        }
        for (String o : options.split(",")) {
            if (o.strip().equals("ro")) {
                return Boolean.TRUE;
            }
            if (o.strip().equals("rw")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }
}
