package org.heartbeat.plugin.disk.internal;

import java.util.Set;

import org.heartbeat.plugin.support.Names;

/**
 * Which filesystems {@code disk_monitor} reports, from its four settings (lists of {@link Names}):
 * <ul>
 * <li>{@code include_fstypes}: when given, only filesystems of these types; listing a type of
 * {@link #PSEUDO_FILESYSTEMS} is how to report one, since they are skipped otherwise;</li>
 * <li>{@code exclude_fstypes}: never filesystems of these types;</li>
 * <li>{@code include_mounts}: when given, only these mount points;</li>
 * <li>{@code exclude_mounts}: never these mount points.</li>
 * </ul>
 * An exclusion wins over an inclusion.
 */
final class DiskFilter {
    /** Kernel and memory filesystems that hold no user data: the list of {@code hbc_mini}. */
    static final Set<String> PSEUDO_FILESYSTEMS = Set.of(
            "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "overlay", "squashfs", "autofs",
            "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs",
            "binfmt_misc", "nsfs", "rpc_pipefs", "ramfs");

    static final DiskFilter DEFAULT = new DiskFilter(null, null, null, null);

    private final Names includeFstypes;
    private final Names excludeFstypes;
    private final Names includeMounts;
    private final Names excludeMounts;

    /** @throws IllegalArgumentException naming the setting and the entry that is not valid */
    DiskFilter(String[] includeFstypes, String[] excludeFstypes, String[] includeMounts, String[] excludeMounts) {
        this.includeFstypes = Names.of("include_fstypes", includeFstypes);
        this.excludeFstypes = Names.of("exclude_fstypes", excludeFstypes);
        this.includeMounts = Names.ofMountPoints("include_mounts", includeMounts);
        this.excludeMounts = Names.ofMountPoints("exclude_mounts", excludeMounts);
    }

    boolean accepts(String mountPoint, String fstype) {
        String type = fstype == null ? "" : fstype;
        boolean typeWanted = includeFstypes.isEmpty() ? !PSEUDO_FILESYSTEMS.contains(type)
                : includeFstypes.matches(type);
        return typeWanted && !excludeFstypes.matches(type)
                && (includeMounts.isEmpty() || includeMounts.matches(mountPoint))
                && !excludeMounts.matches(mountPoint);
    }
}
