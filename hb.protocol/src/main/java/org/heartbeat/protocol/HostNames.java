package org.heartbeat.protocol;

/**
 * The rules for host names: 1 to {@value Protocol#MAX_HOST_NAME} bytes of UTF-8 without control
 * characters, white space or {@code /} (a host name is a path segment of the HTTP API).
 */
public final class HostNames {
    private HostNames() {
    }

    /** Whether {@code name} is a valid host name. */
    public static boolean valid(String name) {
        return problem(name) == null;
    }

    /** Throws {@link IllegalArgumentException} naming the problem when {@code name} is not valid. */
    public static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /** What is wrong with {@code name}, or null when nothing is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "host name is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f && c < 0xa0 || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "host name " + quoted(name) + " contains a control or space character";
            }
            if (c == '/') {
                return "host name " + quoted(name) + " contains '/'";
            }
        }
        int length;
        try {
            length = Utf8.length(name);
        } catch (IllegalArgumentException e) {
            return "host name is not valid Unicode";
        }
        if (length > Protocol.MAX_HOST_NAME) {
            return "host name is " + length + " bytes long; the limit is " + Protocol.MAX_HOST_NAME;
        }
        return null;
    }

    private static String quoted(String name) {
        StringBuilder sb = new StringBuilder("\"");
        name.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
