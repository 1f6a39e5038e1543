package org.heartbeat.notify.email.internal;

import java.util.Locale;

/** The {@code security} key: how the connection to the SMTP server is protected. */
enum Security {
    /** Plain connection upgraded with STARTTLS before anything else is sent; refused when the server lacks it. */
    STARTTLS(587),
    /** TLS from the first byte ("implicit TLS", SMTPS). */
    TLS(465),
    /** No encryption: only for a relay on a trusted network. */
    NONE(25);

    private final int defaultPort;

    Security(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    int defaultPort() {
        return defaultPort;
    }

    /** The value as the operator writes it. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the key when {@code value} is none of {@code starttls}, {@code tls},
     *         {@code none}
     */
    static Security of(String value) {
        if (value == null || value.isBlank()) {
            return STARTTLS;
        }
        for (Security s : values()) {
            if (s.key().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("security must be starttls, tls or none, not \"" + value + "\"");
    }
}
