package org.heartbeat.notify.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.junit.jupiter.api.Test;

import jakarta.mail.internet.InternetAddress;

class MessagesTest {

    @Test
    void theMessageIdKeepsSafeCharactersAndEncodesTheRestSoThatDifferentIdsNeverMeet() {
        assertThat(Messages.messageId("ntf-1764115200000123_a", "example.org"))
                .isEqualTo("<heartbeat.ntf-1764115200000123_a@example.org>");
        assertThat(Messages.messageId("a/b", "example.org")).isEqualTo("<heartbeat.a=2Fb@example.org>");
        assertThat(Messages.messageId("a=2Fb", "example.org")).isEqualTo("<heartbeat.a=3D2Fb@example.org>");
        assertThat(Messages.messageId("a.b <c>@d", "example.org"))
                .isEqualTo("<heartbeat.a=2Eb=20=3Cc=3E=40d@example.org>");
        assertThat(Messages.messageId("\u00e4", "example.org")).isEqualTo("<heartbeat.=C3=A4@example.org>");
    }

    @Test
    void theMessageIdDomainIsTheSendersWhenItIsPlainAscii() throws Exception {
        assertThat(Messages.domain(new InternetAddress("hb@mail.example.org"))).isEqualTo("mail.example.org");
        assertThat(Messages.domain(new InternetAddress("hb@[192.0.2.1]"))).isEqualTo("[192.0.2.1]");
        assertThat(Messages.domain(new InternetAddress("hb@b\u00fccher.example", false)))
                .isEqualTo("heartbeat.invalid");
    }

    @Test
    void theBodyIsTheBodyThenTheLinkOrTheTitleWhenThereIsNeither() {
        Notification.Builder b = Notification.builder().id("n").event(Notification.TEST).severity(Severity.INFO)
                .title("Test message").time(Instant.EPOCH);

        assertThat(Messages.body(b.body("  One line.\n").link(URI.create("https://hb/x")).build()))
                .isEqualTo("One line.\n\nhttps://hb/x\n");
        assertThat(Messages.body(b.body("").link(URI.create("https://hb/x")).build())).isEqualTo("https://hb/x\n");
        assertThat(Messages.body(b.body("Only body.").link(null).build())).isEqualTo("Only body.\n");
        assertThat(Messages.body(b.body(null).link(null).build())).isEqualTo("Test message\n");
    }

    @Test
    void aHeaderIsOneLine() {
        assertThat(Messages.oneLine("web1 is\r\noverdue\tnow ")).isEqualTo("web1 is  overdue now");
    }
}
