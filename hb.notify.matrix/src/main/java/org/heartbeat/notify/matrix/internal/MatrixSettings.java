package org.heartbeat.notify.matrix.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * A Matrix channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose message
 * names the key and never repeats the access token.
 */
record MatrixSettings(URI homeserver, String accessToken, String room) {
    /** Visible ASCII only: the token travels in an HTTP header. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");
    /** A room id {@code !opaque:server} or an alias {@code #name:server}. */
    private static final Pattern ROOM = Pattern.compile("[!#][^:\\s]+:\\S+");

    static MatrixSettings from(MatrixChannel.Config c) {
        URI homeserver = homeserver(required("homeserver", c.homeserver()));
        String token = required("access_token", c.access__token());
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("access_token: must be the access token as the homeserver issued it,"
                    + " without spaces or other characters outside visible ASCII");
        }
        String room = required("room", c.room());
        if (!ROOM.matcher(room).matches()) {
            throw new IllegalArgumentException("room: must be a room id (!abc:example.org) or a room alias"
                    + " (#ops:example.org), got \"" + room + "\"");
        }
        int maxPerHour = number("max_per_hour", c::max__per__hour);
        if (maxPerHour < 0) {
            throw new IllegalArgumentException("max_per_hour: must be 0 (no cap) or more, got " + maxPerHour);
        }
        return new MatrixSettings(homeserver, token, room);
    }

    boolean roomIsAlias() {
        return room.startsWith("#");
    }

    private static URI homeserver(String value) {
        String problem = "homeserver: must be the homeserver's base URL such as https://matrix.example.org, got \""
                + value + "\"";
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(problem);
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return value.trim();
    }

    private static int number(String key, IntSupplier value) {
        try {
            return value.getAsInt();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": must be a whole number");
        }
    }

    @Override
    public String toString() {
        return "MatrixSettings[" + homeserver + ", room=" + room + "]";
    }
}
