package org.heartbeat.plugin.disk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.junit.jupiter.api.Test;

class DiskTreeTest {
    private static final long GB = 1_000_000_000L;
    private static final Mount ROOT = disk("/", "/dev/sda1", "ext4");

    @Test
    void aPartitionHasEveryFigureAndItsPercentIsThatOfDf() {
        // 270 GB, 245 GB free for root but only 84 GB for others: reserved blocks are in neither used nor free
        Mount root = new Mount("/", "/dev/vda", "ext4", "rw,relatime", 270 * GB, 245 * GB, 84 * GB, 1000, 250);

        Metrics m = DiskTree.build(List.of(root), DiskFilter.DEFAULT);

        assertThat(partition(m, "/")).containsExactly(entry("device", "/dev/vda"), entry("fstype", "ext4"),
                entry("total", 270 * GB), entry("used", 25 * GB), entry("free", 84 * GB),
                entry("percent", 100.0 * 25 / (25 + 84)), entry("inodes_total", 1000L), entry("inodes_used", 750L),
                entry("inodes_free", 250L), entry("inodes_percent", 75.0), entry("readonly", false));
    }

    @Test
    void pseudoFilesystemsAreSkippedByDefault() {
        List<Mount> mounts = new ArrayList<>(List.of(ROOT));
        for (String type : DiskFilter.PSEUDO_FILESYSTEMS) {
            mounts.add(disk("/pseudo/" + type, type, type));
        }
        mounts.add(disk("/boot/efi", "/dev/sda2", "vfat"));

        assertThat(partitions(DiskTree.build(mounts, DiskFilter.DEFAULT))).containsOnlyKeys("/", "/boot/efi");
        assertThat(DiskFilter.PSEUDO_FILESYSTEMS).hasSize(23).contains("tmpfs", "overlay", "squashfs", "cgroup2");
    }

    @Test
    void includedTypesAreTheOnlyOnesAndMayBePseudo() {
        List<Mount> mounts = List.of(ROOT, disk("/tmp", "tmpfs", "tmpfs"), disk("/run/user/1000", "tmpfs", "tmpfs"),
                disk("/mnt/nas", "nas:/export", "nfs4"), disk("/mnt/ssh", "me@host:/", "fuse.sshfs"));

        assertThat(partitions(DiskTree.build(mounts, filter(List.of("tmpfs"), null, null, null))))
                .containsOnlyKeys("/tmp", "/run/user/1000");
        assertThat(partitions(DiskTree.build(mounts, filter(List.of("ext4", "tmpfs"), null, null, null))))
                .containsOnlyKeys("/", "/tmp", "/run/user/1000");
        assertThat(partitions(DiskTree.build(mounts, filter(List.of("nfs*", "fuse.*"), null, null, null))))
                .containsOnlyKeys("/mnt/nas", "/mnt/ssh");
    }

    @Test
    void excludedTypesAndMountsAreNeverReportedEvenWhenIncluded() {
        List<Mount> mounts = List.of(ROOT, disk("/boot", "/dev/sda2", "ext2"), disk("/mnt/nas", "nas:/x", "nfs"));

        assertThat(partitions(DiskTree.build(mounts, filter(null, List.of("nfs"), null, null))))
                .containsOnlyKeys("/", "/boot");
        assertThat(partitions(DiskTree.build(mounts, filter(List.of("ext2", "nfs"), List.of("nfs"), null, null))))
                .containsOnlyKeys("/boot");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, List.of("/", "/boot"), List.of("/boot")))))
                .containsOnlyKeys("/");
    }

    @Test
    void mountPointsMatchExactlyOrBelowATrailingSlashStar() {
        List<Mount> mounts = List.of(ROOT, disk("/srv", "/dev/sdb1", "xfs"), disk("/srv/a", "/dev/sdc1", "xfs"),
                disk("/srv/a/b", "/dev/sdd1", "xfs"), disk("/srv2", "/dev/sde1", "xfs"),
                disk("/boot/efi", "/dev/sda2", "vfat"));

        assertThat(partitions(DiskTree.build(mounts, filter(null, null, null, List.of("/srv/*")))))
                .containsOnlyKeys("/", "/srv", "/srv2", "/boot/efi");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, List.of("/srv*"), null))))
                .containsOnlyKeys("/srv", "/srv/a", "/srv/a/b", "/srv2");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, List.of("/srv"), null))))
                .containsOnlyKeys("/srv");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, null, List.of("/boot/efi/", "/")))))
                .containsOnlyKeys("/srv", "/srv/a", "/srv/a/b", "/srv2");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, List.of("*"), List.of("/*")))))
                .containsOnlyKeys("/");
    }

    @Test
    void aDeviceMountedTwiceIsReportedAtItsFirstMountPointOnly() {
        List<Mount> mounts = List.of(ROOT, disk("/srv/bind", "/dev/sda1", "ext4"), disk("/data", "/dev/sdb1", "xfs"),
                disk("/var/lib/bind", "/dev/sdb1", "xfs"));

        assertThat(partitions(DiskTree.build(mounts, DiskFilter.DEFAULT))).containsOnlyKeys("/", "/data");
    }

    @Test
    void theFiltersComeBeforeTheDeviceIsCountedAsSeen() {
        List<Mount> mounts = List.of(ROOT, disk("/srv/bind", "/dev/sda1", "ext4"));

        assertThat(partitions(DiskTree.build(mounts, filter(null, null, List.of("/srv/bind"), null))))
                .containsOnlyKeys("/srv/bind");
        assertThat(partitions(DiskTree.build(mounts, filter(null, null, null, List.of("/")))))
                .containsOnlyKeys("/srv/bind");
    }

    @Test
    void namesThatAreNoDeviceAreNeverMerged() {
        List<Mount> mounts = List.of(disk("/tmp", "tmpfs", "tmpfs"), disk("/var/tmp", "tmpfs", "tmpfs"),
                disk("/a", "none", "xfs"), disk("/b", "none", "xfs"), disk("/c", "", "xfs"), disk("/d", null, "xfs"),
                disk("/e", "//nas/share", "cifs"), disk("/f", "//nas/share", "cifs"),
                disk("/g", "pool/data", "zfs"), disk("/h", "pool/data", "zfs"));

        assertThat(partitions(DiskTree.build(mounts, filter(List.of("tmpfs", "xfs", "cifs", "zfs"), null, null,
                null)))).containsOnlyKeys("/tmp", "/var/tmp", "/a", "/b", "/c", "/d", "/e", "/g");
    }

    @Test
    void theLastMountOnAMountPointHidesTheEarlierOnes() {
        Mount under = new Mount("/mnt", "/dev/sdb1", "ext4", "rw", 10 * GB, 5 * GB, 5 * GB, 0, 0);
        Mount over = new Mount("/mnt", "/dev/sdc1", "xfs", "ro", 20 * GB, 20 * GB, 20 * GB, 0, 0);
        Mount sdbElsewhere = disk("/other", "/dev/sdb1", "ext4");

        Metrics m = DiskTree.build(List.of(under, ROOT, over, sdbElsewhere), DiskFilter.DEFAULT);

        assertThat(partitions(m)).containsOnlyKeys("/", "/mnt", "/other");
        assertThat(List.copyOf(partitions(m).keySet())).containsExactly("/", "/mnt", "/other");
        assertThat(partition(m, "/mnt")).containsEntry("device", "/dev/sdc1").containsEntry("total", 20 * GB)
                .containsEntry("readonly", true);
    }

    @Test
    void emptyFilesystemsAreSkippedAndNothingLeftIsAnEmptyMap() {
        List<Mount> mounts = List.of(new Mount("/zero", "/dev/loop0", "ext4", "rw", 0, 0, 0, 0, 0),
                new Mount("/negative", "/dev/loop1", "ext4", "rw", -1, 0, 0, 0, 0),
                new Mount("", "/dev/loop2", "ext4", "rw", GB, 0, 0, 0, 0),
                new Mount(null, "/dev/loop3", "ext4", "rw", GB, 0, 0, 0, 0));

        Metrics m = DiskTree.build(mounts, DiskFilter.DEFAULT);

        assertThat(m.asMap()).containsExactly(entry("partitions", Map.of()));
    }

    @Test
    void mountPointsWithSpacesAndSlashesAreKeysThatPathsReach() {
        Metrics m = DiskTree.build(List.of(disk("/srv/my disk/a.b", "/dev/sdb1", "ext4"),
                disk("/mnt/tab\there", "/dev/sdc1", "ext4"), disk("/mnt/back\\slash", "/dev/sdd1", "ext4")),
                DiskFilter.DEFAULT);

        assertThat(partitions(m)).containsOnlyKeys("/srv/my disk/a.b", "/mnt/tab\there", "/mnt/back\\slash");
        assertThat(m.number(MetricPath.parse("/partitions/~1srv~1my disk~1a.b/total"))).hasValue(10.0 * GB);
        assertThat(m.leaves().keySet()).extracting(MetricPath::toString)
                .contains("/partitions/~1srv~1my disk~1a.b/percent");
    }

    @Test
    void filesystemsWithoutInodesHaveNoInodeFigures() {
        Mount vfat = new Mount("/boot/efi", "/dev/sda2", "vfat", "rw", GB, GB / 2, GB / 2, 0, 0);

        assertThat(partition(DiskTree.build(List.of(vfat), DiskFilter.DEFAULT), "/boot/efi"))
                .doesNotContainKeys("inodes_total", "inodes_used", "inodes_free", "inodes_percent");
    }

    @Test
    void readonlyComesFromTheMountOptions() {
        assertThat(DiskTree.readonly("ro,relatime")).isTrue();
        assertThat(DiskTree.readonly("nosuid, ro")).isTrue();
        assertThat(DiskTree.readonly("rw,nosuid")).isFalse();
        assertThat(DiskTree.readonly("relatime,rootcontext=x")).isNull();
        assertThat(DiskTree.readonly(null)).isNull();
        Mount unknown = new Mount("/x", "/dev/x", "ext4", null, GB, 0, 0, 0, 0);
        assertThat(partition(DiskTree.build(List.of(unknown), DiskFilter.DEFAULT), "/x"))
                .doesNotContainKey("readonly").containsEntry("percent", 100.0);
    }

    @Test
    void contradictoryFiguresStayInRange() {
        // a FUSE filesystem reporting more free than its size, and more free inodes than inodes
        Mount odd = new Mount("/odd", "me@x:/", "fuse.sshfs", "rw", GB, 2 * GB, 3 * GB, 10, 20);

        assertThat(partition(DiskTree.build(List.of(odd), DiskFilter.DEFAULT), "/odd"))
                .containsEntry("used", 0L).containsEntry("free", 3 * GB).containsEntry("percent", 0.0)
                .containsEntry("inodes_used", 0L).containsEntry("inodes_free", 10L)
                .containsEntry("inodes_percent", 0.0);
    }

    @Test
    void whateverIsReadEveryNumberIsFiniteAndEveryPercentIn0To100() {
        Random random = new Random(11);
        long[] interesting = {-1, 0, 1, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int run = 0; run < 2000; run++) {
            List<Mount> mounts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long[] f = new long[5];
                for (int j = 0; j < f.length; j++) {
                    f[j] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextLong();
                }
                mounts.add(new Mount("/m" + i, "/dev/d" + i, "ext4", "rw", f[0], f[1], f[2], f[3], f[4]));
            }

            DiskTree.build(mounts, DiskFilter.DEFAULT).leaves().forEach((path, value) -> {
                if (value instanceof Double d) {
                    assertThat(d).as("%s", path).isBetween(0.0, 100.0);
                } else if (value instanceof Long l) {
                    assertThat(l).as("%s", path).isNotNegative();
                }
            });
        }
    }

    static Map<String, Object> partitions(Metrics m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) m.asMap().get("partitions");
        return p;
    }

    static Map<String, Object> partition(Metrics m, String mountPoint) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) partitions(m).get(mountPoint);
        return p;
    }

    private static Mount disk(String mountPoint, String device, String fstype) {
        return new Mount(mountPoint, device, fstype, "rw,relatime", 10 * GB, 6 * GB, 5 * GB, 1000, 900);
    }

    private static DiskFilter filter(List<String> includeFstypes, List<String> excludeFstypes,
            List<String> includeMounts, List<String> excludeMounts) {
        return new DiskFilter(array(includeFstypes), array(excludeFstypes), array(includeMounts),
                array(excludeMounts));
    }

    private static String[] array(List<String> list) {
        return list == null ? null : list.toArray(String[]::new);
    }
}
