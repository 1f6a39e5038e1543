package org.heartbeat.api.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
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
        assertThat(cut).hasSizeLessThanOrEqualTo(40).endsWith("\u2026").startsWith("web1 is overdue\nNo heartbeat");
        assertThat(cut).doesNotContain("  ");
        assertThat(n.text(1000)).isEqualTo(n.text());
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        Notification n = overdue().title("x".repeat(8) + "\uD83D\uDD25" + "y".repeat(20)).build();
        String cut = n.text(10);
        assertThat(cut).hasSizeLessThanOrEqualTo(10);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }

    @Test
    void requiredPartsAreChecked() {
        assertThatThrownBy(() -> overdue().title(" ").build()).hasMessageContaining("title");
        assertThatThrownBy(() -> overdue().id(null).build()).hasMessageContaining("id");
        assertThatThrownBy(() -> overdue().severity(null).build()).hasMessageContaining("severity");
        assertThatThrownBy(() -> overdue().build().text(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
