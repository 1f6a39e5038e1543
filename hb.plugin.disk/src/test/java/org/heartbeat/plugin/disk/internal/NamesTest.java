package org.heartbeat.plugin.disk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void namesMatchExactly() {
        Names n = Names.of("exclude_fstypes", new String[] {"nfs", "ext4"}, false);

        assertThat(n.matches("nfs")).isTrue();
        assertThat(n.matches("ext4")).isTrue();
        assertThat(n.matches("nfs4")).isFalse();
        assertThat(n.matches("NFS")).isFalse();
        assertThat(n.matches(null)).isFalse();
    }

    @Test
    void aTrailingStarMatchesAnyRest() {
        Names n = Names.of("include_mounts", new String[] {"/srv/*", "fuse.*"}, true);

        assertThat(n.matches("/srv/a")).isTrue();
        assertThat(n.matches("/srv/a/b c")).isTrue();
        assertThat(n.matches("/srv")).isFalse();
        assertThat(n.matches("/srv2")).isFalse();
        assertThat(n.matches("fuse.sshfs")).isTrue();
        assertThat(Names.of("x", new String[] {"*"}, true).matches("/anything")).isTrue();
        assertThat(Names.of("x", new String[] {"*"}, true).matches("/")).isTrue();
        Names belowRoot = Names.of("x", new String[] {"/*"}, true);
        assertThat(belowRoot.matches("/home")).isTrue();
        assertThat(belowRoot.matches("/")).isFalse();
        assertThat(Names.of("x", new String[] {"/srv*"}, true).matches("/srv")).isTrue();
    }

    @Test
    void aMountPointMatchesWithOrWithoutItsTrailingSlash() {
        Names n = Names.of("exclude_mounts", new String[] {"/boot/efi/", "/"}, true);

        assertThat(n.matches("/boot/efi")).isTrue();
        assertThat(n.matches("/")).isTrue();
        assertThat(Names.of("exclude_fstypes", new String[] {"x/"}, false).matches("x")).isFalse();
    }

    @Test
    void noEntriesAreEmptyAndMatchNothing() {
        assertThat(Names.of("x", null, false).isEmpty()).isTrue();
        assertThat(Names.of("x", new String[0], false).matches("")).isFalse();
        assertThat(Names.of("x", new String[] {"a"}, false).isEmpty()).isFalse();
    }

    @Test
    void anEmptyEntryOrAStarBeforeTheEndIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Names.of("exclude_mounts", new String[] {"/a", " "}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("setting exclude_mounts: an empty entry");
        assertThatThrownBy(() -> Names.of("exclude_mounts", new String[] {"/a", null}, true))
                .hasMessage("setting exclude_mounts: an empty entry");
        assertThatThrownBy(() -> Names.of("include_mounts", new String[] {"/mnt/*/data"}, true))
                .hasMessage("setting include_mounts: \"/mnt/*/data\" has a * before its end; "
                        + "only a trailing * is a wildcard");
    }
}
