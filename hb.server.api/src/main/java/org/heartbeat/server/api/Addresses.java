package org.heartbeat.server.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * IP addresses as the server writes them everywhere (API, log, state file, messages), as people and RFC 5952 write
 * them: {@code ::1}, {@code 2001:db8::7}, not {@code 0:0:0:0:0:0:0:1}. For bundles that show addresses, so that they
 * look the same everywhere.
 */
public final class Addresses {
    private Addresses() {
    }

    /** The address in its canonical text form: dotted quad for IPv4, RFC 5952 for IPv6 (with its scope, if any). */
    public static String ip(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        // the longest run of two or more zero groups (the first of equal ones) becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        String scope = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
                : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
        return scope == null ? s.toString() : s + "%" + scope;
    }

    /** {@code 192.0.2.7:40000} or {@code [2001:db8::7]:40000}; {@code ?} for null. */
    public static String text(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String ip = ip(a.getAddress());
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
}
