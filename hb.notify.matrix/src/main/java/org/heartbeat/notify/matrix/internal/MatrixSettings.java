package org.heartbeat.notify.matrix.internal;

import java.net.URI;
import java.util.regex.Pattern;

import org.heartbeat.notify.support.Keys;

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
        URI homeserver = Keys.baseUrl("homeserver", c._homeserver(), "https://matrix.example.org");
        String token = Keys.required("access_token", c._access__token());
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("access_token: must be the access token as the homeserver issued it,"
                    + " without spaces or other characters outside visible ASCII");
        }
        String room = Keys.required("room", c._room());
        if (!ROOM.matcher(room).matches()) {
            throw new IllegalArgumentException("room: must be a room id (!abc:example.org) or a room alias"
                    + " (#ops:example.org), got \"" + room + "\"");
        }
        Keys.maxPerHour(c::max__per__hour);
        return new MatrixSettings(homeserver, token, room);
    }

    boolean roomIsAlias() {
        return room.startsWith("#");
    }

    @Override
    public String toString() {
        return "MatrixSettings[" + homeserver + ", room=" + room + "]";
    }
}
