package org.heartbeat.notify.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.heartbeat.api.notify.Delivery;

/** Assertions that a secret appears nowhere an operator or a log could see it. */
public final class Secrets {
    private Secrets() {
    }

    /** Neither the detail nor the string form of the delivery contains any of the secrets. */
    public static void assertNoneIn(Delivery delivery, String... secrets) {
        assertNoneIn("delivery", delivery.detail() + "\n" + delivery, secrets);
    }

    /** Neither the message nor the string form nor the stack trace of the throwable and its causes has a secret. */
    public static void assertNoneIn(Throwable thrown, String... secrets) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        StringBuilder all = new StringBuilder(trace.toString());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            all.append('\n').append(t.getMessage()).append('\n').append(t);
        }
        assertNoneIn("exception", all.toString(), secrets);
    }

    /** The text contains none of the secrets. */
    public static void assertNoneIn(String what, String text, String... secrets) {
        for (String secret : secrets) {
            assertThat(secret).as("a secret to look for").isNotBlank();
            assertThat(text).as("%s must not contain a secret", what).doesNotContain(secret);
        }
    }
}
