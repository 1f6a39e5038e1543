package org.heartbeat.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class NotificationTest {
    private static Notification.Builder overdue() {
        return Notification.builder().id("n1").event(Notification.HOST_OVERDUE).severity(Severity.CRITICAL)
                .host("web1").title("web1 is overdue").time(Instant.parse("2026-11-26T08:00:24Z"));
    }

    @Test
    void textJoinsTitleBodyAndLink() {
        Notification n = overdue().body("No heartbeat since 08:00:12 UTC.")
                .link(URI.create("https://hb.example.org/plugins/web1")).build();
        assertThat(n.text()).isEqualTo("web1 is overdue\nNo heartbeat since 08:00:12 UTC.\n"
                + "https://hb.example.org/plugins/web1");
        assertThat(overdue().build().text()).isEqualTo("web1 is overdue");
        assertThat(n.host()).contains("web1");
        assertThat(Notification.builder().id("t").event(Notification.TEST).severity(Severity.INFO).title("test")
                .time(Instant.EPOCH).build().host()).isEmpty();
    }

    @Test
    void aLongTextIsCutAtAWordWithAnEllipsis() {
        Notification n = overdue().body("No heartbeat since 08:00:12 UTC, interval 10 s and grace 2 s.").build();
        String cut = n.text(40);
        assertThat(utf8(cut)).isLessThanOrEqualTo(40);
        assertThat(cut).isEqualTo("web1 is overdue\nNo heartbeat since\u2026");
        assertThat(cut).endsWith("\u2026").startsWith("web1 is overdue\nNo heartbeat");
        assertThat(cut).doesNotContain("  ");
        assertThat(n.text(1000)).isEqualTo(n.text());
    }

    @Test
    void theLimitCountsUtf8BytesNotChars() {
        // 30 chars, but 60 bytes of UTF-8: each "\u00e4" is two
        Notification n = overdue().title("\u00e4".repeat(30)).build();
        String cut = n.text(40);
        assertThat(utf8(cut)).isLessThanOrEqualTo(40);
        // 37 bytes for the text, 3 for the ellipsis: 18 two-byte chars fit, the 19th would not
        assertThat(cut).isEqualTo("\u00e4".repeat(18) + "\u2026");
        assertThat(n.text(60)).isEqualTo(n.text());
        assertThat(n.text(59)).endsWith("\u2026");
    }

    @Test
    void aCutNeverSplitsACodePoint() {
        // the emoji is 4 bytes of UTF-8 (a surrogate pair in Java), the euro sign 3
        for (String wide : new String[] {"\uD83D\uDD25", "\u20ac"}) {
            Notification n = overdue().title("x".repeat(8) + wide + "y".repeat(20)).build();
            for (int max = 3; max <= 20; max++) {
                String cut = n.text(max);
                assertThat(utf8(cut)).as("max %d", max).isLessThanOrEqualTo(max);
                assertThat(cut).as("max %d", max).endsWith("\u2026");
                String kept = cut.substring(0, cut.length() - 1);
                assertThat(n.text()).startsWith(kept);
                assertThat(kept.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
                assertThat(kept.isEmpty() || !Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isTrue();
            }
            // with room for 8 x's and the wide char but not for the y after it
            assertThat(n.text(8 + utf8(wide) + 3)).isEqualTo("x".repeat(8) + wide + "\u2026");
            assertThat(n.text(8 + utf8(wide) + 2)).isEqualTo("x".repeat(8) + "\u2026");
        }
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void requiredPartsAreChecked() {
        assertThatThrownBy(() -> overdue().title(" ").build()).hasMessageContaining("title");
        assertThatThrownBy(() -> overdue().id(null).build()).hasMessageContaining("id");
        assertThatThrownBy(() -> overdue().severity(null).build()).hasMessageContaining("severity");
        assertThatThrownBy(() -> overdue().build().text(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max must be at least 3 bytes, got 2");
        assertThat(overdue().build().text(3)).isEqualTo("\u2026");
    }
}
