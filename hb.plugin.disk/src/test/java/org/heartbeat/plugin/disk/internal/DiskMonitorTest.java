package org.heartbeat.plugin.disk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.plugin.support.ComponentConfig;
import org.junit.jupiter.api.Test;

class DiskMonitorTest {
    private static final List<Mount> MOUNTS = List.of(
            new Mount("/", "/dev/sda1", "ext4", "rw", 1000, 500, 400, 0, 0),
            new Mount("/tmp", "tmpfs", "tmpfs", "rw", 1000, 1000, 1000, 0, 0),
            new Mount("/boot/efi", "/dev/sda2", "vfat", "rw", 1000, 500, 500, 0, 0));

    @Test
    void theConfigurationKeysAreTheDocumentedOnes() {
        assertThat(List.of(DiskMonitor.Config.class.getDeclaredMethods())).extracting(ComponentConfig::propertyName)
                .containsExactlyInAnyOrder("interval", "timeout", "include_fstypes", "exclude_fstypes",
                        "include_mounts", "exclude_mounts")
                .containsAll(DiskMonitor.SETTINGS);
    }

    @Test
    void theSettingsFilterAsConfigured() {
        Map<String, Object> properties = Map.of("interval", 60.0, "timeout", 30.0,
                "include_fstypes", new String[] {"ext4", "tmpfs"},
                // a single value, where the configuration has a string instead of a list
                "exclude_mounts", "/tmp");

        Metrics m = monitor(properties).collect();

        assertThat(DiskTreeTest.partitions(m)).containsOnlyKeys("/");
    }

    @Test
    void withoutSettingsPseudoFilesystemsAreSkipped() {
        assertThat(DiskTreeTest.partitions(monitor(Map.of()).collect())).containsOnlyKeys("/", "/boot/efi");
    }

    @Test
    void anInvalidSettingFailsEveryCollectionNamingIt() {
        DiskMonitor monitor = monitor(Map.of("exclude_mounts", new String[] {"/mnt/*/x"}));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(monitor::collect).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("setting exclude_mounts: \"/mnt/*/x\"");
        }
    }

    @Test
    void aMisspeltSettingFailsEveryCollectionNamingIt() {
        DiskMonitor monitor = monitor(Map.of("exclude_mount", new String[] {"/boot/efi"}));

        assertThatThrownBy(monitor::collect).isInstanceOf(IllegalArgumentException.class).hasMessage(
                "unknown setting \"exclude_mount\": disk_monitor knows exclude_fstypes, exclude_mounts, "
                        + "include_fstypes, include_mounts");
    }

    @Test
    void onThisMachineTheRootFilesystemIsReportedAsJavaSeesIt() throws IOException {
        assumeThat(Path.of("/proc/self/mounts")).exists();
        FileStore root = Files.getFileStore(Path.of("/"));

        Metrics m = new DiskMonitor(config(Map.of()), new HashMap<>()).collect();

        Map<String, Object> slash = DiskTreeTest.partition(m, "/");
        assertThat(slash).as("partitions: %s", DiskTreeTest.partitions(m)).isNotNull();
        assertThat(slash).containsEntry("total", root.getTotalSpace()).containsEntry("fstype", root.type())
                .containsEntry("readonly", root.isReadOnly()).containsEntry("device", rootDevice());
        // other builds write meanwhile: free within 1 % of the size of what Java sees
        assertThat((Long) slash.get("free")).isCloseTo(root.getUsableSpace(),
                org.assertj.core.api.Assertions.within(root.getTotalSpace() / 100));
        assertThat((Long) slash.get("used")).isCloseTo(root.getTotalSpace() - root.getUnallocatedSpace(),
                org.assertj.core.api.Assertions.within(root.getTotalSpace() / 100));
        DiskTreeTest.partitions(m).forEach((mount, value) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) value;
            assertThat(DiskFilter.PSEUDO_FILESYSTEMS).as(mount).doesNotContain((String) p.get("fstype"));
            assertThat((Long) p.get("total")).as(mount).isPositive();
            assertThat((Long) p.get("used") + (Long) p.get("free")).as(mount).isLessThanOrEqualTo((Long) p.get("total"));
        });
    }

    @Test
    void onThisMachineSettingsNarrowWhatIsReported() {
        Metrics tmpfsOnly = new DiskMonitor(config(Map.of("include_fstypes", "tmpfs")), new HashMap<>()).collect();
        Metrics withoutRoot = new DiskMonitor(config(Map.of("exclude_mounts", "/")), new HashMap<>()).collect();

        assertThat(DiskTreeTest.partitions(tmpfsOnly)).doesNotContainKey("/").allSatisfy((mount, p) ->
                assertThat(((Map<?, ?>) p).get("fstype")).as(mount).isEqualTo("tmpfs"));
        assertThat(DiskTreeTest.partitions(withoutRoot)).doesNotContainKey("/");
    }

    /** The device of the last mount on / in /proc/self/mounts. */
    private static String rootDevice() throws IOException {
        String device = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[1].equals("/")) {
                device = f[0];
            }
        }
        return device;
    }

    private static DiskMonitor monitor(Map<String, ?> properties) {
        return new DiskMonitor(() -> MOUNTS, config(properties), properties);
    }

    private static DiskMonitor.Config config(Map<String, ?> properties) {
        return ComponentConfig.of(DiskMonitor.Config.class, properties);
    }
}
