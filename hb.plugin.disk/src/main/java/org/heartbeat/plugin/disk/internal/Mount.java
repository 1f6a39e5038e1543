package org.heartbeat.plugin.disk.internal;

/**
 * One mounted filesystem as read, sizes in bytes as {@code statvfs} gives them.
 *
 * @param mountPoint where it is mounted, unescaped ({@code /srv/my disk})
 * @param device what is mounted: a device ({@code /dev/sda1}), a network export, a dataset or a name
 * @param fstype the filesystem type, {@code ext4}
 * @param options the mount options, comma separated ({@code rw,relatime}); null when unknown
 * @param total the size ({@code f_blocks})
 * @param free bytes free, counting those reserved for root ({@code f_bfree})
 * @param usable bytes free to other users ({@code f_bavail})
 * @param inodesTotal inodes ({@code f_files}); 0 when the filesystem does not count them
 * @param inodesFree free inodes ({@code f_ffree})
 */
record Mount(String mountPoint, String device, String fstype, String options, long total, long free, long usable,
        long inodesTotal, long inodesFree) {
}
