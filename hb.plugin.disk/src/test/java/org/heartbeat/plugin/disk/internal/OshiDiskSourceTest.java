package org.heartbeat.plugin.disk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OshiDiskSourceTest {

    @Test
    void undoesTheEscapesOshiLeaves() {
        assertThat(OshiDiskSource.unescape("/mnt/a\\011b\\012c\\134d")).isEqualTo("/mnt/a\tb\nc\\d");
        // OSHI already turned \040 into a space
        assertThat(OshiDiskSource.unescape("/srv/my disk")).isEqualTo("/srv/my disk");
        // a backslash followed by "040" in the name itself: the kernel wrote \134040
        assertThat(OshiDiskSource.unescape("/x\\134040")).isEqualTo("/x\\040");
    }

    @Test
    void leavesWhatIsNoEscapeAlone() {
        for (String s : new String[] {"/a\\", "/a\\01", "/a\\400", "/a\\08x", "/a\\x41", "", "/plain"}) {
            assertThat(OshiDiskSource.unescape(s)).as(s).isEqualTo(s);
        }
        assertThat(OshiDiskSource.unescape(null)).isNull();
    }
}
