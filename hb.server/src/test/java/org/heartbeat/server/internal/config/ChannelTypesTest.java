package org.heartbeat.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.heartbeat.config.ChannelConfig;
import org.junit.jupiter.api.Test;

class ChannelTypesTest {
    /** The shape bnd writes for a channel's @ObjectClassDefinition and @Designate(factory = true). */
    static final String PUSHOVER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0">
              <OCD id="org.example.PushoverChannel$Config" name="Pushover">
                <AD id=".token" type="Password" name="Token"/>
                <AD id=".user" type="Password" name="User"/>
                <AD id=".priority" type="Integer" required="false" default="0"/>
                <AD id=".sound" type="String" required="false"/>
              </OCD>
              <Designate factoryPid="org.heartbeat.notify.pushover">
                <Object ocdref="org.example.PushoverChannel$Config"/>
              </Designate>
              <OCD id="other" name="Not a channel"><AD id="x" type="String"/></OCD>
              <Designate pid="org.example.other"><Object ocdref="other"/></Designate>
            </metatype:MetaData>
            """;

    @Test
    void readsTheKeysOfEachChannelTypeFromItsMetatypeDocument() throws Exception {
        var types = ChannelTypes.parse(new ByteArrayInputStream(PUSHOVER.getBytes(StandardCharsets.UTF_8)));
        assertThat(types).containsOnlyKeys("pushover");
        assertThat(types.get("pushover")).containsOnlyKeys("token", "user", "priority", "sound", "max_per_hour");
        assertThat(types.get("pushover").get("token").required()).isTrue();
        assertThat(types.get("pushover").get("priority").hasDefault()).isTrue();
    }

    @Test
    void namesUnknownAndMissingKeysWithoutQuotingValues() throws Exception {
        ChannelTypes t = new ChannelTypes(null, x -> { });
        t.provide(ChannelTypes.parse(new ByteArrayInputStream(PUSHOVER.getBytes(StandardCharsets.UTF_8))));
        ChannelConfig typo = new ChannelConfig("phone", "pushover", Map.of("tokne", "s3cret", "user", "u", "max_per_hour",
                5L), 3);
        assertThat(t.problems(typo)).containsExactly(
                "pushover has no key tokne (its keys: max_per_hour, priority, sound, token, user)",
                "missing token, which pushover needs");
        assertThat(String.join(" ", t.problems(typo))).doesNotContain("s3cret");
        assertThat(t.problems(new ChannelConfig("chat", "matrix", Map.of("anything", "x"), 9))).isEmpty();
        assertThat(t.provided("pushover")).isTrue();
        assertThat(t.provided("matrix")).isFalse();
    }
}
