package org.heartbeat.notify.email.internal;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

/**
 * The email for one notification: a plain-text message whose subject is {@code subject_prefix} plus the title, and
 * whose body is the body and the link.
 *
 * <pre>
 * From: Heartbeat &lt;hb@example.org&gt;
 * To: ops@example.org
 * Subject: [Heartbeat] web1 is overdue
 * Date: Thu, 26 Nov 2026 08:00:24 +0000          (the notification's time, also on a retry)
 * Message-ID: &lt;heartbeat.ntf-1764115200000123@example.org&gt;   (from the notification's id: a retry keeps it)
 * Auto-Submitted: auto-generated
 * X-Heartbeat-Event: host.overdue
 * X-Heartbeat-Severity: CRITICAL
 * X-Heartbeat-Host: web1
 * Importance: high
 * X-Priority: 1 (Highest)
 * Content-Type: text/plain; charset=UTF-8
 * </pre>
 */
final class Messages {
    static final String EVENT_HEADER = "X-Heartbeat-Event";
    static final String SEVERITY_HEADER = "X-Heartbeat-Severity";
    static final String HOST_HEADER = "X-Heartbeat-Host";

    private Messages() {
    }

    static MimeMessage compose(Session session, Settings settings, Notification n) throws MessagingException {
        MimeMessage m = new FixedIdMessage(session, messageId(n.id(), domain(settings.from())));
        m.setFrom(settings.from());
        m.setRecipients(Message.RecipientType.TO, settings.to().toArray(new InternetAddress[0]));
        m.setSubject(oneLine(settings.subjectPrefix() + n.title()), "UTF-8");
        m.setSentDate(Date.from(n.time()));
        m.setText(body(n), "UTF-8");
        // RFC 3834: a machine wrote it; well-behaved responders send no vacation replies to it
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader(EVENT_HEADER, header(n.event()));
        m.setHeader(SEVERITY_HEADER, n.severity().name());
        if (n.host().isPresent()) {
            m.setHeader(HOST_HEADER, header(n.host().get()));
        }
        // Importance (RFC 2156) is what Outlook reads, X-Priority what Thunderbird and most others read
        if (n.severity() == Severity.CRITICAL) {
            m.setHeader("Importance", "high");
            m.setHeader("X-Priority", "1 (Highest)");
        } else if (n.severity() == Severity.WARNING || n.severity() == Severity.UNKNOWN) {
            m.setHeader("Importance", "high");
            m.setHeader("X-Priority", "2 (High)");
        }
        m.saveChanges();
        return m;
    }

    /** The body, then the link on its own line after a blank one; the title when there is neither. */
    static String body(Notification n) {
        StringBuilder s = new StringBuilder(n.body().strip());
        n.link().ifPresent(link -> s.append(s.length() == 0 ? "" : "\n\n").append(link));
        if (s.length() == 0) {
            s.append(n.title());
        }
        return s.append('\n').toString();
    }

    /**
     * A Message-ID that depends on the notification id alone, so that a retry of the same notification carries
     * the same one and mail systems that de-duplicate by Message-ID can drop the second copy. Characters that may
     * not stand in a Message-ID's left part (RFC 5322 dot-atom) are written as {@code =XX}, their UTF-8 bytes in
     * hex, so two different ids never give the same Message-ID.
     */
    static String messageId(String notificationId, String domain) {
        StringBuilder s = new StringBuilder("<heartbeat.");
        for (byte b : notificationId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                s.append(c);
            } else {
                s.append('=').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return s.append('@').append(domain).append('>').toString();
    }

    /** The domain of the sender's address, where the Message-ID says it comes from. */
    static String domain(InternetAddress from) {
        String address = from.getAddress();
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return domain.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]") ? domain : "heartbeat.invalid";
    }

    /** Control characters (a line break in a title, say) become spaces: a header is one line. */
    static String oneLine(String s) {
        return s.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip();
    }

    /** A header value: one line, RFC 2047-encoded when it is not ASCII. */
    private static String header(String value) {
        try {
            return MimeUtility.fold(20, MimeUtility.encodeText(oneLine(value), "UTF-8", null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** A message whose Message-ID is set once, not replaced by a random one in {@code saveChanges()}. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
