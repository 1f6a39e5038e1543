package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class UserHomeTest {
    private static Properties userHome(String dir) {
        Properties p = new Properties();
        p.setProperty("user.home", dir);
        return p;
    }

    @Test
    void homeComesFromTheEnvironmentWhenItIsSet() {
        UserHome h = UserHome.of(Map.of("HOME", "/srv/heartbeat"), userHome("/root"));

        assertThat(h.home()).isEqualTo(Path.of("/srv/heartbeat"));
        assertThat(h.expanded("~/.hb.yaml")).isEqualTo(Path.of("/srv/heartbeat/.hb.yaml"));
        assertThat(h.expanded("~")).isEqualTo(Path.of("/srv/heartbeat"));
    }

    @Test
    void withoutHomeOrWithAnEmptyOneJavasUserHomeCounts() {
        assertThat(UserHome.of(Map.of(), userHome("/home/alice")).home()).isEqualTo(Path.of("/home/alice"));
        assertThat(UserHome.of(Map.of("HOME", ""), userHome("/home/alice")).home()).isEqualTo(Path.of("/home/alice"));
    }

    @Test
    void onlyALeadingTildeIsExpanded() {
        UserHome h = UserHome.of(Map.of("HOME", "/h"), userHome("/u"));

        assertThat(h.expanded("/var/lib/hb.pick")).isEqualTo(Path.of("/var/lib/hb.pick"));
        assertThat(h.expanded("relative/~/x")).isEqualTo(Path.of("relative/~/x"));
        assertThat(h.expanded("~alice/x")).as("another user's home is not looked up").isEqualTo(Path.of("~alice/x"));
    }

    @Test
    void thisProcessUsesItsOwnEnvironment() {
        String env = System.getenv("HOME");
        Path expected = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"));

        assertThat(UserHome.dir()).isEqualTo(expected);
        assertThat(Section.expandHome("~/.hb.pick")).isEqualTo(expected.resolve(".hb.pick"));
    }
}
