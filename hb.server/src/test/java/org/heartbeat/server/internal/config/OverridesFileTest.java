package org.heartbeat.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.heartbeat.config.HostConfig;
import org.heartbeat.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverridesFileTest {
    @Test
    void valuesAreCheckedWithTheConfigurationsRulesAndNormalised() {
        assertThat(OverridesFile.validate("web1", Map.of("interval", "2m", "grace", 1.5, "notify_after", 3,
                "tags", List.of("db", 7)))).containsExactly(Map.entry("interval", 120L), Map.entry("grace", 1.5),
                        Map.entry("notify_after", 3), Map.entry("tags", List.of("db", "7")));
        assertThatThrownBy(() -> OverridesFile.validate("web1", Map.of("interval", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("interval: ");
        assertThatThrownBy(() -> OverridesFile.validate("web1", Map.of("notify_after", 0)))
                .hasMessageStartingWith("notify_after: ");
        assertThatThrownBy(() -> OverridesFile.validate("web1", Map.of("key", "x")))
                .hasMessageStartingWith("key: not a setting that can be changed at run time");
        assertThatThrownBy(() -> OverridesFile.validate("web1", java.util.Collections.singletonMap("owner", null)))
                .hasMessageStartingWith("owner: must not be null");
    }

    @Test
    void theFileIsWrittenPrivatelyAndReadBack(@TempDir Path dir) throws Exception {
        Path file = OverridesFile.beside(dir.resolve(".hb.pick"));
        assertThat(file.getFileName().toString()).isEqualTo(".hb.pick.overrides");
        List<String> problems = new ArrayList<>();
        assertThat(OverridesFile.read(file, problems)).isEmpty();

        OverridesFile.write(file, Map.of("web1", Map.of("interval", 5L, "owner", "bob")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(OverridesFile.read(file, problems)).isEqualTo(Map.of("web1", Map.of("interval", 5L,
                "owner", "bob")));

        Files.writeString(file, "{\"hosts\": {\"web1\": {\"interval\": 5}, \"web2\": {\"interval\": \"never\"}}}");
        assertThat(OverridesFile.read(file, problems)).containsOnlyKeys("web1");
        assertThat(problems).singleElement().asString().contains("hosts.web2.interval: ", "entry ignored");
    }

    @Test
    void anOverrideWinsOverHostsAndAddsHostsNotThere() throws Exception {
        ServerConfig yaml = ServerConfig.parse("""
                hosts:
                  web1:
                    interval: 30
                    grace: 4
                    owner: alice
                    tags: [web]
                """);
        ServerConfig merged = OverridesFile.apply(yaml, Map.of("web1", Map.of("interval", 5L, "notify_after", 3),
                "db1", Map.of("owner", "bob")));

        HostConfig web1 = merged.hosts().get("web1");
        assertThat(web1.interval()).isEqualTo(5);
        assertThat(web1.notifyAfter()).isEqualTo(3);
        assertThat(web1.grace()).as("not overridden").isEqualTo(4);
        assertThat(web1.owner()).isEqualTo("alice");
        assertThat(web1.tags()).containsExactly("web");
        HostConfig db1 = merged.hosts().get("db1");
        assertThat(db1.owner()).isEqualTo("bob");
        assertThat(db1.interval()).as("unset").isZero();
        assertThat(db1.grace()).as("unset").isNegative();
        assertThat(yaml.hosts()).as("the file's configuration is left as it is").containsOnlyKeys("web1");
        assertThat(OverridesFile.apply(yaml, Map.of())).isSameAs(yaml);
    }
}
