package org.heartbeat.plugin.disk.internal;

import java.util.List;

/** Where {@link DiskMonitor} reads the mounted filesystems, in mount order: OSHI, or fixed ones in tests. */
interface DiskSource {
    List<Mount> mounts();
}
