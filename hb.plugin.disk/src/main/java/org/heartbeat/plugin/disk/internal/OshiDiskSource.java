package org.heartbeat.plugin.disk.internal;

import java.util.List;

import oshi.PlatformEnum;
import oshi.SystemInfo;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Reads this machine's filesystems with OSHI, network filesystems included. OSHI leaves some out before it
 * measures them, whatever {@code disk_monitor}'s settings say: on Linux, mount points under {@code /proc},
 * {@code /sys}, {@code /run} and {@code /dev} and any {@code shm}, and the types of its own pseudo-filesystem list
 * ({@code oshi.pseudo.filesystem.types}: among others {@code overlay}, {@code squashfs}, {@code fuse},
 * {@code efivarfs}), except on {@code /}.
 */
final class OshiDiskSource implements DiskSource {
    private final FileSystem fileSystem;
    private final boolean linux;

    OshiDiskSource() {
        this.fileSystem = new SystemInfo().getOperatingSystem().getFileSystem();
        this.linux = SystemInfo.getCurrentPlatform() == PlatformEnum.LINUX;
    }

    @Override
    public List<Mount> mounts() {
        return fileSystem.getFileStores(false).stream().map(this::mount).toList();
    }

    private Mount mount(OSFileStore s) {
        String mountPoint = linux ? unescape(s.getMount()) : s.getMount();
        String device = linux ? unescape(s.getVolume()) : s.getVolume();
        return new Mount(mountPoint, device, s.getType(), s.getOptions(), s.getTotalSpace(), s.getFreeSpace(),
                s.getUsableSpace(), s.getTotalInodes(), s.getFreeInodes());
    }

    /**
     * Undoes the octal escapes of a {@code /proc/self/mounts} field that OSHI leaves: the kernel writes tab,
     * newline and backslash as {@code \011}, {@code \012} and {@code \134}; OSHI turns only {@code \040} back into
     * a space. The key is then the mount point that {@code hbc_mini} reports.
     */
    static String unescape(String field) {
        if (field == null || field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) == '\\' && i + 3 < field.length() && field.charAt(i + 1) >= '0'
                    && field.charAt(i + 1) <= '3' && octal(field.charAt(i + 2)) && octal(field.charAt(i + 3))) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(field.charAt(i));
            }
        }
        return out.toString();
    }

    private static boolean octal(char c) {
        return c >= '0' && c <= '7';
    }
}
