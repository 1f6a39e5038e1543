package org.heartbeat.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void namesMatchExactly() {
        Names n = Names.of("exclude_fstypes", new String[] {"nfs", "ext4"});

        assertThat(n.matches("nfs")).isTrue();
        assertThat(n.matches("ext4")).isTrue();
        assertThat(n.matches("nfs4")).isFalse();
        assertThat(n.matches("NFS")).isFalse();
        assertThat(n.matches(null)).isFalse();
    }

    @Test
    void aTrailingStarMatchesAnyRest() {
        Names n = Names.ofMountPoints("include_mounts", new String[] {"/srv/*", "fuse.*"});

        assertThat(n.matches("/srv/a")).isTrue();
        assertThat(n.matches("/srv/a/b c")).isTrue();
        assertThat(n.matches("/srv")).isFalse();
        assertThat(n.matches("/srv2")).isFalse();
        assertThat(n.matches("fuse.sshfs")).isTrue();
        assertThat(Names.ofMountPoints("x", new String[] {"*"}).matches("/anything")).isTrue();
        assertThat(Names.ofMountPoints("x", new String[] {"*"}).matches("/")).isTrue();
        Names belowRoot = Names.ofMountPoints("x", new String[] {"/*"});
        assertThat(belowRoot.matches("/home")).isTrue();
        assertThat(belowRoot.matches("/")).isFalse();
        assertThat(Names.ofMountPoints("x", new String[] {"/srv*"}).matches("/srv")).isTrue();
    }

    @Test
    void aMountPointMatchesWithOrWithoutItsTrailingSlash() {
        Names n = Names.ofMountPoints("exclude_mounts", new String[] {"/boot/efi/", "/"});

        assertThat(n.matches("/boot/efi")).isTrue();
        assertThat(n.matches("/")).isTrue();
        assertThat(Names.of("exclude_fstypes", new String[] {"x/"}).matches("x")).isFalse();
    }

    @Test
    void onlyMountPointsNeedMoreThanAPrefixEndingInASlash() {
        assertThat(Names.ofMountPoints("x", new String[] {"/srv/*"}).matches("/srv/")).isFalse();
        assertThat(Names.of("x", new String[] {"group/*"}).matches("group/")).isTrue();
        assertThat(Names.of("exclude_interfaces", new String[] {"veth*", "docker0"}).matches("veth12")).isTrue();
    }

    @Test
    void noEntriesAreEmptyAndMatchNothing() {
        assertThat(Names.of("x", null).isEmpty()).isTrue();
        assertThat(Names.of("x", new String[0]).matches("")).isFalse();
        assertThat(Names.of("x", new String[] {"a"}).isEmpty()).isFalse();
    }

    @Test
    void anEmptyEntryOrAStarBeforeTheEndIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Names.ofMountPoints("exclude_mounts", new String[] {"/a", " "}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("setting exclude_mounts: an empty entry");
        assertThatThrownBy(() -> Names.ofMountPoints("exclude_mounts", new String[] {"/a", null}))
                .hasMessage("setting exclude_mounts: an empty entry");
        assertThatThrownBy(() -> Names.ofMountPoints("include_mounts", new String[] {"/mnt/*/data"}))
                .hasMessage("setting include_mounts: \"/mnt/*/data\" has a * before its end; "
                        + "only a trailing * is a wildcard");
    }
}
