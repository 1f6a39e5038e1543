package org.heartbeat.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns IP address literals back into addresses, never asking DNS. */
final class InetAddressParser {
    private InetAddressParser() {
    }

    static InetAddress parse(String literal) {
        boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }
}
