package org.heartbeat.notify.email.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP reply as it bears on retrying: its basic code (RFC 5321 section 4.2) and, when the text starts with one,
 * its enhanced status code (RFC 3463), whose class says whether the condition is transient (4) or permanent (5).
 *
 * <pre>{@code
 * SmtpReply.of(452, "452 4.2.2 Mailbox full").isTransient()   // true
 * SmtpReply.of(550, "550 5.1.1 No such user").isTransient()   // false
 * SmtpReply.of(-1, "[EOF]").isTransient()                     // true: no reply is not a refusal
 * }</pre>
 */
record SmtpReply(int code, int enhancedClass, String text) {
    private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245])\\.\\d{1,3}\\.\\d{1,3}(?:\\s|$)");
    private static final int MAX_TEXT = 300;

    /**
     * @param code the basic reply code, or -1/0 when there was none (end of stream, read error)
     * @param response the reply as read, possibly several lines
     */
    static SmtpReply of(int code, String response) {
        String text = response == null ? "" : response.strip().replaceAll("\\s*\\n\\s*", " | ");
        Matcher m = ENHANCED.matcher(text);
        int enhanced = m.find() ? m.group(1).charAt(0) - '0' : 0;
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "\u2026";
        }
        return new SmtpReply(code, enhanced, text);
    }

    /** A reply at all: a 4xx or 5xx refusal, not a missing or garbled one. */
    boolean isRefusal() {
        return code >= 400 && code < 600;
    }

    /**
     * Whether trying again later can succeed: by the enhanced status code's class when there is one (RFC 3463
     * section 3.1: class 4 is a persistent transient failure, class 5 permanent), else by the basic code (4xx
     * transient, 5xx permanent). Anything else (no reply, a broken one) counts as transient.
     */
    boolean isTransient() {
        if (enhancedClass == 4) {
            return true;
        }
        if (enhancedClass == 5) {
            return false;
        }
        return !(code >= 500 && code < 600);
    }
}
