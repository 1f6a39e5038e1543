package org.heartbeat.notify.pushover.internal;

import java.net.URI;
import java.util.regex.Pattern;

import org.heartbeat.notify.support.Keys;

/**
 * A Pushover channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose message
 * names the key and never repeats a secret's value.
 */
record PushoverSettings(String token, String user, int priority, int retry, int expire, String sound, String device,
        URI messagesUri) {
    /** Application tokens and user or group keys: 30 letters and digits (pushover.net/api, "Users, Groups..."). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]{30}");
    /** Up to 50 user keys in one request, joined with commas and no spaces. */
    private static final Pattern USERS = Pattern.compile("[A-Za-z0-9]{30}(,[A-Za-z0-9]{30}){0,49}");
    /** Device names: up to 25 of [A-Za-z0-9_-], several joined with commas. */
    private static final Pattern DEVICES = Pattern.compile("[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*");
    private static final Pattern SOUND = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final int EMERGENCY = 2;

    static PushoverSettings from(PushoverChannel.Config c) {
        String token = Keys.required("token", c._token());
        if (!KEY.matcher(token).matches()) {
            throw new IllegalArgumentException(
                    "token: must be the application's API token from pushover.net, 30 letters and digits");
        }
        String user = Keys.required("user", c._user());
        if (!USERS.matcher(user).matches()) {
            throw new IllegalArgumentException("user: must be a user or group key from pushover.net, 30 letters and"
                    + " digits (up to 50 joined with commas)");
        }
        int priority = Keys.number("priority", c::_priority);
        if (priority < -2 || priority > EMERGENCY) {
            throw new IllegalArgumentException("priority: must be -2, -1, 0, 1 or 2, got " + priority);
        }
        int retry = Keys.number("retry", c::_retry);
        if (retry < 30) {
            throw new IllegalArgumentException("retry: Pushover repeats an emergency notification at most every 30"
                    + " seconds, so it must be at least 30, got " + retry);
        }
        int expire = Keys.number("expire", c::_expire);
        if (expire < 1 || expire > 10800) {
            throw new IllegalArgumentException(
                    "expire: must be between 1 and 10800 seconds (3 hours), got " + expire);
        }
        String sound = Keys.optional(c._sound());
        if (sound != null && !SOUND.matcher(sound).matches()) {
            throw new IllegalArgumentException("sound: must be the name of a Pushover sound, such as siren, got \""
                    + sound + "\"");
        }
        String device = Keys.optional(c._device());
        if (device != null && !DEVICES.matcher(device).matches()) {
            throw new IllegalArgumentException("device: must be device names of up to 25 letters, digits, _ or -,"
                    + " joined with commas, got \"" + device + "\"");
        }
        Keys.maxPerHour(c::max__per__hour);
        String apiUrl = Keys.optional(c._api__url());
        URI base = Keys.baseUrl("api_url", apiUrl == null ? PushoverChannel.DEFAULT_API_URL : apiUrl,
                PushoverChannel.DEFAULT_API_URL);
        return new PushoverSettings(token, user, priority, retry, expire, sound, device,
                URI.create(base + "/1/messages.json"));
    }

    /** The secrets, to keep out of every text this channel writes. */
    String[] secrets() {
        return user.contains(",") ? (token + "," + user).split(",") : new String[] {token, user};
    }

    @Override
    public String toString() {
        return "PushoverSettings[priority=" + priority + ", retry=" + retry + ", expire=" + expire + ", sound=" + sound
                + ", device=" + device + ", " + messagesUri + "]";
    }
}
