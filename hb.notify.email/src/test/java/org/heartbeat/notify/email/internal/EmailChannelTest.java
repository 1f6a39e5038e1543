package org.heartbeat.notify.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Delivery.Outcome;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.notify.testing.ChannelComponent;
import org.heartbeat.notify.testing.Threads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** The email channel against a real SMTP server (aiosmtpd), in every way the brief lists. */
class EmailChannelTest {
    private static final String USER = "heartbeat";
    private static final String PASSWORD = "Pa55-w0rd-never-logged";
    private static final Instant TIME = Instant.parse("2026-11-26T08:00:24Z");

    @TempDir
    static Path certificates;
    private static Certificates.Pair good;
    private static Certificates.Pair otherName;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        good = Certificates.selfSigned(certificates, "smtp.test", "DNS:localhost,IP:127.0.0.1");
        otherName = Certificates.selfSigned(certificates, "other.test", "DNS:other.test");
    }

    @Test
    void aPlainDeliveryCarriesEveryHeader() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir)) {
            EmailChannel channel = channel(server, "none", Map.of(
                    "from", "Heartbeat <hb@example.org>",
                    "to", new String[] {"ops@example.org", "On Call <oncall@example.org>"}));

            Delivery d = channel.send(notification("ntf-1764115200000123", Severity.CRITICAL));

            assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(d.detail())
                    .isEqualTo("accepted by 127.0.0.1:" + server.port() + ": 250 2.0.0 OK queued as hb001");
            List<SmtpServer.Received> received = server.received();
            assertThat(received).hasSize(1);
            SmtpServer.Received r = received.get(0);
            assertThat(r.mailFrom()).isEqualTo("hb@example.org");
            assertThat(r.recipients()).containsExactly("ops@example.org", "oncall@example.org");
            assertThat(r.tls()).isFalse();
            assertThat(r.authUser()).isNull();

            MimeMessage m = r.message();
            assertThat(m.getFrom()).containsExactly(new InternetAddress("hb@example.org", "Heartbeat"));
            assertThat(m.getRecipients(MimeMessage.RecipientType.TO)).containsExactly(
                    new InternetAddress("ops@example.org"), new InternetAddress("oncall@example.org", "On Call"));
            assertThat(m.getSubject()).isEqualTo("[Heartbeat] web1 is overdue \u2013 sp\u00e4t");
            assertThat(r.raw()).contains("Subject: =?UTF-8?");
            assertThat(m.getMessageID()).isEqualTo("<heartbeat.ntf-1764115200000123@example.org>");
            assertThat(m.getSentDate().toInstant()).isEqualTo(TIME);
            assertThat(m.getHeader("X-Heartbeat-Event")).containsExactly("host.overdue");
            assertThat(m.getHeader("X-Heartbeat-Severity")).containsExactly("CRITICAL");
            assertThat(m.getHeader("X-Heartbeat-Host")).containsExactly("web1");
            assertThat(m.getHeader("Importance")).containsExactly("high");
            assertThat(m.getHeader("X-Priority")).containsExactly("1 (Highest)");
            assertThat(m.getHeader("Auto-Submitted")).containsExactly("auto-generated");
            assertThat(m.getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
            assertThat(((String) m.getContent()).replace("\r\n", "\n")).isEqualTo("No heartbeat since 08:00:12 UTC.\n"
                    + "Interval 10 s, grace 2 s.\n\nhttps://hb.example.org/hosts/web1\n");
        }
    }

    @Test
    void aRetryOfTheSameNotificationCarriesTheSameMessageId() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir)) {
            EmailChannel channel = channel(server, "none", Map.of());

            channel.send(notification("ntf-1", Severity.WARNING));
            channel.send(notification("ntf-1", Severity.WARNING));
            channel.send(notification("ntf-2", Severity.WARNING));

            List<SmtpServer.Received> r = server.received();
            assertThat(r).hasSize(3);
            assertThat(r.get(0).message().getMessageID()).isEqualTo("<heartbeat.ntf-1@example.org>")
                    .isEqualTo(r.get(1).message().getMessageID());
            assertThat(r.get(2).message().getMessageID()).isEqualTo("<heartbeat.ntf-2@example.org>");
            assertThat(r.get(0).message().getSentDate()).isEqualTo(r.get(1).message().getSentDate());
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {"CRITICAL, high, 1 (Highest)", "WARNING, high, 2 (High)", "UNKNOWN, high, 2 (High)", "OK, -, -",
            "INFO, -, -"})
    void severitiesMapOntoImportanceAndPriority(Severity severity, String importance, String priority)
            throws Exception {
        try (SmtpServer server = SmtpServer.start(dir)) {
            channel(server, "none", Map.of()).send(notification("ntf-" + severity, severity));

            MimeMessage m = server.received().get(0).message();
            assertThat(m.getHeader("X-Heartbeat-Severity")).containsExactly(severity.name());
            assertThat(m.getHeader("Importance")).isEqualTo(importance == null ? null : new String[] {importance});
            assertThat(m.getHeader("X-Priority")).isEqualTo(priority == null ? null : new String[] {priority});
        }
    }

    @Test
    void starttlsWithTheServersCertificateTrustedThroughCaFile() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, tls("starttls", good))) {
            Delivery d = channel(server, "starttls", Map.of("ca_file", good.certificate().toString()))
                    .send(notification("ntf-starttls", Severity.INFO));

            assertThat(d.outcome()).as(d.detail()).isEqualTo(Outcome.DELIVERED);
            assertThat(server.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        }
    }

    @Test
    void implicitTls() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, tls("tls", good))) {
            Delivery d = channel(server, "tls", Map.of("ca_file", good.certificate().toString()))
                    .send(notification("ntf-tls", Severity.INFO));

            assertThat(d.outcome()).as(d.detail()).isEqualTo(Outcome.DELIVERED);
            assertThat(server.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
        }
    }

    @Test
    void authSucceedsAfterStarttls() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, auth(tls("starttls", good), USER + ":" + PASSWORD))) {
            Delivery d = channel(server, "starttls", Map.of("ca_file", good.certificate().toString(),
                    "username", USER, "password", PASSWORD)).send(notification("ntf-auth", Severity.INFO));

            assertThat(d.outcome()).as(d.detail()).isEqualTo(Outcome.DELIVERED);
            SmtpServer.Received r = server.received().get(0);
            assertThat(r.authUser()).isEqualTo(USER);
            assertThat(r.tls()).isTrue();
        }
    }

    @Test
    void authRefusedWith535Fails() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, auth(tls("tls", good), USER + ":right-password"))) {
            Delivery d = channel(server, "tls", Map.of("ca_file", good.certificate().toString(),
                    "username", USER, "password", PASSWORD)).send(notification("ntf-535", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(d.detail()).isEqualTo("authentication refused by 127.0.0.1:" + server.port()
                    + ": 535 5.7.8 Authentication credentials invalid");
            assertNoSecret(d);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void authRefusedOnlyForNowRetries() throws Exception {
        String[] options = auth(tls("starttls", good), USER + ":" + PASSWORD);
        options = Arrays.copyOf(options, options.length + 2);
        options[options.length - 2] = "--auth-reply";
        options[options.length - 1] = "454 4.7.0 Temporary authentication failure";
        try (SmtpServer server = SmtpServer.start(dir, options)) {
            Delivery d = channel(server, "starttls", Map.of("ca_file", good.certificate().toString(),
                    "username", USER, "password", PASSWORD)).send(notification("ntf-454", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(d.detail()).isEqualTo("authentication refused by 127.0.0.1:" + server.port()
                    + ": 454 4.7.0 Temporary authentication failure");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--greeting|421 4.3.2 Too busy, try later",
        "--mail|421 4.3.2 Service shutting down",
        "--data|451 4.3.0 Temporary local problem",
        "--rcpt|ops@example.org=452 4.2.2 Mailbox full",
        "--rcpt|ops@example.org=450 Mailbox busy"})
    void transientRefusalsRetry(String option, String value) throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, option, value)) {
            Delivery d = channel(server, "none", Map.of()).send(notification("ntf-4xx", Severity.CRITICAL));

            assertThat(d.outcome()).as(d.detail()).isEqualTo(Outcome.RETRY);
            String reply = value.substring(value.indexOf('=') + 1);
            assertThat(d.detail()).startsWith("127.0.0.1:" + server.port() + " refused").endsWith(reply
                    + (option.equals("--rcpt") ? ")" : ""));
            assertThat(d.retryAfter()).isEmpty();
            assertThat(server.received()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--greeting|554 5.3.2 No SMTP service here",
        "--mail|550 5.7.1 Sender rejected",
        "--rcpt|ops@example.org=550 5.1.1 No such user",
        "--data|552 5.2.2 Mailbox full",
        "--data|554 Transaction failed"})
    void permanentRefusalsFail(String option, String value) throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, option, value)) {
            Delivery d = channel(server, "none", Map.of()).send(notification("ntf-5xx", Severity.CRITICAL));

            assertThat(d.outcome()).as(d.detail()).isEqualTo(Outcome.FAILED);
            String reply = value.substring(value.indexOf('=') + 1);
            assertThat(d.detail()).startsWith("127.0.0.1:" + server.port() + " refused").contains(reply);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void aRefusedRecipientIsNamedWithTheServersReply() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "--rcpt", "ops@example.org=550 5.1.1 No such user")) {
            Delivery d = channel(server, "none", Map.of()).send(notification("ntf-550", Severity.CRITICAL));

            assertThat(d.detail()).isEqualTo("127.0.0.1:" + server.port()
                    + " refused every recipient: ops@example.org (550 5.1.1 No such user)");
        }
    }

    @Test
    void someRecipientsRefusedIsDeliveredToTheOthersAndNamesTheRefused() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "--rcpt", "gone@example.org=550 5.1.1 No such user")) {
            Delivery d = channel(server, "none", Map.of("to", new String[] {"ops@example.org", "gone@example.org"}))
                    .send(notification("ntf-partial", Severity.CRITICAL));

            assertThat(d.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(d.detail()).isEqualTo("accepted by 127.0.0.1:" + server.port()
                    + " for ops@example.org; refused for gone@example.org (550 5.1.1 No such user)");
            assertThat(server.received()).singleElement()
                    .satisfies(r -> assertThat(r.recipients()).containsExactly("ops@example.org"));
        }
    }

    @Test
    void everyRecipientRefusedSomeOnlyForNowRetries() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "--rcpt", "gone@example.org=550 5.1.1 No such user",
                "--rcpt", "ops@example.org=452 4.2.2 Mailbox full")) {
            Delivery d = channel(server, "none", Map.of("to", new String[] {"ops@example.org", "gone@example.org"}))
                    .send(notification("ntf-none", Severity.CRITICAL));

            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(d.detail()).contains("ops@example.org (452 4.2.2 Mailbox full)",
                    "gone@example.org (550 5.1.1 No such user)");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void aServerThatNeverAnswersEndsWithinTheReadTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            EmailChannel channel = channel("127.0.0.1", silent.getLocalPort(), "none", Map.of());

            long start = System.nanoTime();
            Delivery d = channel.send(notification("ntf-silent", Severity.CRITICAL));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(d.detail()).startsWith("no answer from 127.0.0.1:" + silent.getLocalPort() + " in time");
            assertThat(took).isLessThan(Duration.ofSeconds(NotificationChannel.TIMEOUT_SECONDS))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(EmailChannel.READ_TIMEOUT_SECONDS - 1));
            accepted.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void anInterruptEndsAHangingSendAndClosesItsConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            EmailChannel channel = channel("127.0.0.1", silent.getLocalPort(), "none", Map.of());
            CompletableFuture<Thread> sender = new CompletableFuture<>();
            CompletableFuture<Object> sent = CompletableFuture.supplyAsync(() -> {
                sender.complete(Thread.currentThread());
                try {
                    return channel.send(notification("ntf-interrupt", Severity.CRITICAL));
                } catch (InterruptedException e) {
                    return e;
                }
            });

            try (Socket connection = accepted.get(10, TimeUnit.SECONDS)) {
                long start = System.nanoTime();
                sender.get().interrupt();

                assertThat(sent.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                connection.setSoTimeout(5000);
                try (InputStream in = connection.getInputStream()) {
                    assertThat(in.read()).as("the channel closed its end").isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void aRefusedConnectionRetries() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Delivery d = channel("127.0.0.1", port, "none", Map.of()).send(notification("ntf-refused", Severity.OK));

        assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(d.detail()).startsWith("cannot connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void anUntrustedCertificateFails() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, tls("tls", good))) {
            Delivery d = channel(server, "tls", Map.of()).send(notification("ntf-untrusted", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(d.detail()).isEqualTo("the TLS certificate of 127.0.0.1:" + server.port() + " does not verify "
                    + "(unable to find valid certification path to requested target); if the server uses a "
                    + "private CA or a self-signed certificate, put it in ca_file");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void anUntrustedCertificateAfterStarttlsFails() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, tls("starttls", good))) {
            Delivery d = channel(server, "starttls", Map.of()).send(notification("ntf-untrusted", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(d.detail()).startsWith("the TLS certificate of 127.0.0.1:" + server.port() + " does not verify");
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostFails() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, tls("tls", otherName))) {
            Delivery d = channel(server, "tls", Map.of("ca_file", otherName.certificate().toString()))
                    .send(notification("ntf-other-name", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(d.detail()).startsWith("the TLS certificate of 127.0.0.1:" + server.port() + " does not verify")
                    .contains("127.0.0.1");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void aServerWithoutStarttlsFailsRatherThanSendInClear() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir)) {
            Delivery d = channel(server, "starttls", Map.of()).send(notification("ntf-no-starttls", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(d.detail()).startsWith("127.0.0.1:" + server.port() + " does not offer STARTTLS");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void aTlsHandshakeFailureOtherThanTheCertificateRetries() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir)) {
            Delivery d = channel(server, "tls", Map.of()).send(notification("ntf-not-tls", Severity.INFO));

            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(d.detail()).startsWith("TLS with 127.0.0.1:" + server.port() + " failed");
        }
    }

    @Test
    void theSecretIsInNoDetailOfAnyOutcome() throws Exception {
        Map<String, Object> credentials = Map.of("username", USER, "password", PASSWORD,
                "ca_file", good.certificate().toString());
        String base64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        record Case(String security, String[] options) {
        }
        List<Case> cases = List.of(
                new Case("starttls", auth(tls("starttls", good), USER + ":" + PASSWORD)),
                new Case("starttls", auth(tls("starttls", good), USER + ":another-password")),
                new Case("none", new String[] {"--mail", "550 5.7.1 Not you: " + PASSWORD}),
                new Case("none", new String[] {"--greeting", "421 4.3.2 Busy " + base64}),
                new Case("tls", tls("tls", otherName)));
        List<Delivery> all = new ArrayList<>();
        for (Case c : cases) {
            Path here = Files.createDirectory(dir.resolve("server" + all.size()));
            try (SmtpServer server = SmtpServer.start(here, c.options())) {
                all.add(channel(server, c.security(), credentials).send(notification("ntf-s", Severity.INFO)));
            }
        }

        assertThat(all).extracting(Delivery::outcome).containsExactly(Outcome.DELIVERED, Outcome.FAILED,
                Outcome.FAILED, Outcome.RETRY, Outcome.FAILED);
        all.forEach(EmailChannelTest::assertNoSecret);
        assertThat(all.get(2).detail()).endsWith("550 5.7.1 Not you: ***");
        assertThat(all.get(3).detail()).endsWith("421 4.3.2 Busy ***");
    }

    @Test
    void configurationMistakesNameTheKeyAndNeverTheSecret() {
        Map<String, Object> base = Map.of("host", "smtp.example.org", "from", "hb@example.org",
                "to", "ops@example.org", "username", USER, "password", PASSWORD);

        assertThatThrownBy(() -> channel(with(base, "host", null))).hasMessageStartingWith("host is required");
        assertThatThrownBy(() -> channel(with(base, "security", "ssl")))
                .hasMessage("security must be starttls, tls or none, not \"ssl\"");
        assertThatThrownBy(() -> channel(with(base, "port", 70000))).hasMessage("port must be 1..65535, not 70000");
        assertThatThrownBy(() -> channel(with(base, "username", null)))
                .hasMessage("password is set but username is not: set both, or neither");
        assertThatThrownBy(() -> channel(with(base, "from", "not an address"))).hasMessageStartingWith("from ");
        assertThatThrownBy(() -> channel(with(base, "from", "a@example.org, b@example.org")))
                .hasMessageStartingWith("from must be one address");
        assertThatThrownBy(() -> channel(with(base, "to", new String[0]))).hasMessageStartingWith("to is required");
        assertThatThrownBy(() -> channel(with(base, "to", "ops"))).hasMessageStartingWith("to \"ops\" is not");
        assertThatThrownBy(() -> channel(with(base, "subject_prefix", "[HB]\n")))
                .hasMessageStartingWith("subject_prefix ");
        assertThatThrownBy(() -> channel(with(base, "ca_file", dir.resolve("missing.pem").toString())))
                .hasMessage("ca_file " + dir.resolve("missing.pem") + " does not exist");
        assertThatThrownBy(() -> channel(with(base, "ca_file", good.key().toString())))
                .hasMessageStartingWith("ca_file " + good.key());
        for (Map<String, Object> wrong : List.of(with(base, "host", "smtp example"), with(base, "port", -1),
                with(base, "username", ""), with(base, "security", "starttls-please"),
                with(base, "ca_file", good.key().toString()))) {
            assertThatThrownBy(() -> channel(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }
    }

    @Test
    void thePortDefaultsBySecurityAndToAcceptsACommaSeparatedList() {
        Map<String, Object> base = Map.of("host", "smtp.example.org", "from", "hb@example.org",
                "to", "ops@example.org, oncall@example.org");

        assertThat(Settings.of(config(base)).port()).isEqualTo(587);
        assertThat(Settings.of(config(with(base, "security", "tls"))).port()).isEqualTo(465);
        assertThat(Settings.of(config(with(base, "security", "none"))).port()).isEqualTo(25);
        assertThat(Settings.of(config(with(base, "port", 2525))).port()).isEqualTo(2525);
        assertThat(Settings.of(config(base)).to()).extracting(InternetAddress::getAddress)
                .containsExactly("ops@example.org", "oncall@example.org");
        assertThat(Settings.of(config(base)).subjectPrefix()).isEqualTo("[Heartbeat] ");
    }

    private static void assertNoSecret(Delivery d) {
        String base64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(d.detail()).doesNotContain(PASSWORD).doesNotContain(base64);
        assertThat(d.toString()).doesNotContain(PASSWORD).doesNotContain(base64);
    }

    private static String[] tls(String mode, Certificates.Pair pair) {
        return new String[] {"--mode", mode, "--cert", pair.certificate().toString(), "--key", pair.key().toString()};
    }

    private static String[] auth(String[] options, String credentials) {
        String[] out = Arrays.copyOf(options, options.length + 2);
        out[options.length] = "--auth";
        out[options.length + 1] = credentials;
        return out;
    }

    private static CompletableFuture<Socket> acceptOne(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Notification notification(String id, Severity severity) {
        return Notification.builder()
                .id(id)
                .event(Notification.HOST_OVERDUE)
                .severity(severity)
                .host("web1")
                .title("web1 is overdue \u2013 sp\u00e4t")
                .body("No heartbeat since 08:00:12 UTC.\nInterval 10 s, grace 2 s.")
                .link(URI.create("https://hb.example.org/hosts/web1"))
                .time(TIME)
                .build();
    }

    @Test
    void noSecretBecomesAServiceProperty() throws Exception {
        ChannelComponent component = ChannelComponent.of(EmailChannel.class);

        component.assertOnlyTheSendLimitIsPublic("email", 60);
        assertThat(component.attributeTypes()).containsEntry(".password", "Password")
                .containsKeys(".host", ".port", ".security", ".username", ".from", ".to", ".subject_prefix",
                        ".ca_file");
        Map<String, Object> entry = Map.of("host", "smtp.example.org", "username", USER, "password", PASSWORD,
                "from", "hb@example.org", "to", "ops@example.org", NotificationChannel.NAME, "ops_mail");
        assertThat(component.serviceProperties(entry)).isEqualTo(Map.of(NotificationChannel.TYPE, "email",
                NotificationChannel.MAX_PER_HOUR, "60", NotificationChannel.NAME, "ops_mail"));
    }

    @Test
    void deactivationEndsASendAndLeavesNoThreadOfTheChannel() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptOne(silent);
            EmailChannel channel = channel("127.0.0.1", silent.getLocalPort(), "none", Map.of());
            CompletableFuture<Delivery> sent = CompletableFuture.supplyAsync(() -> {
                try {
                    return channel.send(notification("ntf-deactivated", Severity.CRITICAL));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket connection = accepted.get(5, TimeUnit.SECONDS);
            assertThat(Threads.named("hb-notify-email ntf-deactivated")).hasSize(1);

            channel.deactivate();

            Delivery d = sent.get(5, TimeUnit.SECONDS);
            assertThat(d.outcome()).isEqualTo(Outcome.RETRY);
            await().atMost(Duration.ofSeconds(5)).until(() -> Threads.named("hb-notify-email").isEmpty());
            connection.close();
        }
    }

    private static EmailChannel channel(SmtpServer server, String security, Map<String, Object> settings) {
        return channel("127.0.0.1", server.port(), security, settings);
    }

    private static EmailChannel channel(String host, int port, String security, Map<String, Object> settings) {
        Map<String, Object> p = new HashMap<>(Map.of("host", host, "port", port, "security", security,
                "from", "hb@example.org", "to", "ops@example.org"));
        p.putAll(settings);
        return channel(p);
    }

    private static EmailChannel channel(Map<String, Object> properties) {
        return new EmailChannel(config(properties));
    }

    /** The typed configuration over what hbd writes for a YAML entry with these keys (see ChannelComponent). */
    private static EmailChannel.Config config(Map<String, Object> entry) {
        return ComponentConfig.of(EmailChannel.Config.class, ChannelComponent.configuration(entry));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }
}
