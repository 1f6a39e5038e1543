package org.heartbeat.server.internal.host;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns IP address literals back into addresses, never asking DNS. */
public final class InetAddressParser {
    private InetAddressParser() {
    }

    public static InetAddress parse(String literal) {
        try {
            if (literal.indexOf(':') >= 0) {
                // A name cannot contain ':', so this is only ever parsed, never looked up.
                return InetAddress.getByName(literal);
            }
            String[] parts = literal.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IP address: " + literal);
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                    throw new IllegalArgumentException("not an IP address: " + literal);
                }
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }
}
