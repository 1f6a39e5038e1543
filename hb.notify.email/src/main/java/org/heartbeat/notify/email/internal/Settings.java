package org.heartbeat.notify.email.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose message names the
 * key and never holds the password.
 */
record Settings(String host, int port, Security security, String username, String password, InternetAddress from,
        List<InternetAddress> to, String subjectPrefix, SSLSocketFactory tls) {

    static Settings of(EmailChannel.Config c) {
        String host = c._host() == null ? "" : c._host().trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is required: the SMTP server's name or address");
        }
        if (!host.matches("[\\p{Alnum}.:\\-\\[\\]_]+")) {
            throw new IllegalArgumentException("host \"" + host + "\" is not a host name or address");
        }
        Security security = Security.of(c._security());
        int port = c._port() == 0 ? security.defaultPort() : c._port();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + c._port());
        }
        String username = blankToNull(c._username());
        String password = c._password() == null || c._password().isEmpty() ? null : c._password();
        if (password != null && username == null) {
            throw new IllegalArgumentException("password is set but username is not: set both, or neither");
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("username is set but password is not: set both, or neither");
        }
        InternetAddress from = single("from", c._from());
        List<InternetAddress> to = new ArrayList<>();
        for (String entry : c._to() == null ? new String[0] : c._to()) {
            to.addAll(list("to", entry));
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("to is required: one address or a list of addresses");
        }
        String prefix = c._subject__prefix() == null ? "" : c._subject__prefix();
        if (prefix.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("subject_prefix must be one line without control characters");
        }
        String caFile = blankToNull(c._ca__file());
        SSLSocketFactory tls = caFile == null ? Trust.jvm() : Trust.withCaFile(Path.of(caFile));
        return new Settings(host, port, security, username, password, from, List.copyOf(to), prefix, tls);
    }

    /** {@code host:port}, for details. */
    String server() {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "Settings[" + server() + ", " + security.key() + ", username=" + username + ", from=" + from
                + ", to=" + to + "]";
    }

    private static InternetAddress single(String key, String value) {
        List<InternetAddress> all = list(key, value);
        if (all.size() != 1) {
            throw new IllegalArgumentException(key + " must be one address, not " + all.size() + ": \"" + value
                    + "\"");
        }
        return all.get(0);
    }

    /** One entry of an address key; a comma-separated list in one entry is accepted too. */
    private static List<InternetAddress> list(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required: an address such as ops@example.org");
        }
        try {
            List<InternetAddress> out = new ArrayList<>();
            for (InternetAddress a : InternetAddress.parse(value, true)) {
                a.validate();
                String address = a.getAddress();
                int at = address.lastIndexOf('@');
                if (at < 1 || at == address.length() - 1 || a.isGroup()) {
                    throw new AddressException("not of the form user@domain", address);
                }
                out.add(a);
            }
            return out;
        } catch (AddressException e) {
            throw new IllegalArgumentException(key + " \"" + value + "\" is not an email address: "
                    + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
