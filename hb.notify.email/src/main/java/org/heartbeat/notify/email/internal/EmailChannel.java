package org.heartbeat.notify.email.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.NotificationChannel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * Notification channel type {@code email}: sends each notification as a plain-text email through an SMTP server,
 * with Jakarta Mail (Eclipse Angus), which this bundle carries inside it.
 *
 * <pre>
 * notification_channels:
 *   ops_mail:
 *     type: email
 *     host: smtp.example.org
 *     username: heartbeat@example.org
 *     password: YOUR_SMTP_PASSWORD
 *     from: Heartbeat &lt;heartbeat@example.org&gt;
 *     to: [ops@example.org, oncall@example.org]
 * </pre>
 *
 * One send is one SMTP session (connect, STARTTLS or TLS, AUTH, one message to every {@code to} address, QUIT) on a
 * thread of its own, so that {@code hbd}'s interrupt or the overall deadline of {@value #DEADLINE_SECONDS} s can
 * end it by closing its socket. {@link Messages} says what the email looks like, {@link Outcomes} how every answer
 * is classified.
 */
@Component(configurationPid = NotificationChannel.CONFIG_PID_PREFIX + EmailChannel.TYPE,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {NotificationChannel.TYPE + "=" + EmailChannel.TYPE,
                NotificationChannel.MAX_PER_HOUR + ":Integer=" + EmailChannel.DEFAULT_MAX_PER_HOUR})
@Designate(ocd = EmailChannel.Config.class, factory = true)
public final class EmailChannel implements NotificationChannel {
    static final String TYPE = "email";
    /** A mailbox takes more than a phone, and a flapping host should still not flood it. */
    static final int DEFAULT_MAX_PER_HOUR = 60;
    /** For the TCP connection, and then for each read: well under {@link NotificationChannel#TIMEOUT_SECONDS}. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    static final int READ_TIMEOUT_SECONDS = 10;
    /** For the whole SMTP session; then the socket is closed and the send counts as a retry. */
    static final int DEADLINE_SECONDS = 25;

    @ObjectClassDefinition(name = "Heartbeat email channel",
            description = "Sends notifications as plain-text email through an SMTP server.")
    @interface Config {
        @AttributeDefinition(description = "The SMTP server's host name or address.")
        String _host();

        @AttributeDefinition(required = false,
                description = "The SMTP server's port; by default 587 for starttls, 465 for tls, 25 for none.")
        int _port() default 0;

        @AttributeDefinition(required = false, description = "starttls (the default): a plain connection upgraded "
                + "to TLS, refused if the server does not offer it; tls: TLS from the start; none: no encryption.",
                options = {@Option(label = "STARTTLS", value = "starttls"), @Option(label = "TLS", value = "tls"),
                        @Option(label = "none", value = "none")})
        String _security() default "starttls";

        @AttributeDefinition(required = false, description = "User name for SMTP AUTH; none: no AUTH.")
        String _username() default "";

        @AttributeDefinition(required = false, type = AttributeType.PASSWORD,
                description = "Password for SMTP AUTH; required with username.")
        String _password() default "";

        @AttributeDefinition(description = "The sender's address, optionally with a name: "
                + "Heartbeat <hb@example.org>.")
        String _from();

        @AttributeDefinition(cardinality = 100, description = "One recipient address, or a list of them.")
        String[] _to();

        @AttributeDefinition(required = false, description = "Put before each notification's title in the subject.")
        String _subject__prefix() default "[Heartbeat] ";

        @AttributeDefinition(name = "CA file", required = false, description = "A PEM file of CA or server "
                + "certificates to trust besides the JVM's, for a server with a private or self-signed certificate.")
        String _ca__file() default "";

        @AttributeDefinition(required = false, description = "At most this many emails per hour; 0: no cap. "
                + "What the cap holds back is summarised in one later email.")
        int max__per__hour() default DEFAULT_MAX_PER_HOUR;
    }

    private final Settings settings;
    private volatile TrackedSockets inFlight;

    /** @throws IllegalArgumentException naming the key of a configuration mistake */
    @Activate
    public EmailChannel(Config config) {
        this.settings = Settings.of(config);
    }

    @Override
    public Delivery send(Notification notification) throws InterruptedException {
        TrackedSockets sockets = new TrackedSockets(settings.tls());
        CompletableFuture<Delivery> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(deliver(notification, sockets));
            } catch (Throwable t) { // a linkage error, say: report it rather than wait for the deadline
                result.completeExceptionally(t);
            }
        }, "hb-notify-email " + notification.id());
        worker.setDaemon(true);
        // Jakarta Mail and Jakarta Activation find their providers (META-INF/services, javamail.default.providers,
        // mailcap) through the context class loader first: make it this bundle's, which holds the embedded jars
        worker.setContextClassLoader(EmailChannel.class.getClassLoader());
        inFlight = sockets;
        worker.start();
        try {
            return result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            sockets.abort();
            throw e;
        } catch (TimeoutException e) {
            sockets.abort();
            return Delivery.retry("no complete SMTP exchange with " + settings.server() + " within "
                    + DEADLINE_SECONDS + " s; connection closed");
        } catch (ExecutionException e) {
            sockets.abort();
            return Delivery.retry(scrub("sending through " + settings.server() + " failed: " + e.getCause()));
        } finally {
            inFlight = null;
        }
    }

    /** Ends a send still running when the channel is removed or reconfigured. */
    @Deactivate
    void deactivate() {
        TrackedSockets sockets = inFlight;
        if (sockets != null) {
            sockets.abort();
        }
    }

    private Delivery deliver(Notification notification, TrackedSockets sockets) {
        SMTPTransport transport = null;
        try {
            Session session = Session.getInstance(properties(sockets));
            MimeMessage message = Messages.compose(session, settings, notification);
            transport = (SMTPTransport) session.getTransport("smtp");
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            transport.sendMessage(message, message.getAllRecipients());
            return Delivery.delivered(scrub("accepted by " + settings.server() + ": "
                    + SmtpReply.of(transport.getLastReturnCode(), transport.getLastServerResponse()).text()));
        } catch (MessagingException e) {
            SmtpReply last = transport == null ? SmtpReply.of(0, "")
                    : SmtpReply.of(transport.getLastReturnCode(), transport.getLastServerResponse());
            Delivery d = Outcomes.of(e, last, settings.server());
            String detail = scrub(d.detail());
            return switch (d.outcome()) {
                case DELIVERED -> Delivery.delivered(detail);
                case RETRY -> Delivery.retry(detail);
                case FAILED -> Delivery.failed(detail);
            };
        } catch (RuntimeException e) {
            return Delivery.retry(scrub("sending through " + settings.server() + " failed: " + e));
        } finally {
            if (transport != null) {
                try {
                    transport.close(); // QUIT without waiting for its answer (quitwait=false)
                } catch (MessagingException e) {
                    // the outcome is decided; a failing QUIT changes nothing
                }
            }
        }
    }

    /** Jakarta Mail's session properties: see the Angus SMTP provider's package documentation. */
    private Properties properties(TrackedSockets sockets) {
        Properties p = new Properties();
        p.put("mail.smtp.connectiontimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
        p.put("mail.smtp.timeout", String.valueOf(READ_TIMEOUT_SECONDS * 1000));
        p.put("mail.smtp.socketFactory", sockets.plain());
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.socketFactory", sockets.tls());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.ssl.enable", String.valueOf(settings.security() == Security.TLS));
        p.put("mail.smtp.starttls.enable", String.valueOf(settings.security() == Security.STARTTLS));
        p.put("mail.smtp.starttls.required", String.valueOf(settings.security() == Security.STARTTLS));
        p.put("mail.smtp.auth", String.valueOf(settings.username() != null));
        // deliver to the recipients the server accepts even if it refuses some (see Outcomes)
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.quitwait", "false");
        return p;
    }

    /** Removes the password, as written and as SMTP AUTH LOGIN sends it (base64), from a text meant for a log. */
    String scrub(String text) {
        String password = settings.password();
        if (text == null || password == null) {
            return text;
        }
        String base64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        return text.replace(password, "***").replace(base64, "***");
    }
}
