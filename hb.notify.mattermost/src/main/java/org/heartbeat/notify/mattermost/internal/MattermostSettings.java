package org.heartbeat.notify.mattermost.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.heartbeat.notify.support.Keys;

/**
 * A Mattermost channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose
 * message names the key and never repeats the webhook URL, which is a secret (whoever has it can post).
 */
record MattermostSettings(URI url, String channel, String username, String iconUrl) {
    /** An incoming webhook: {@code https://your-mattermost-server.com/hooks/xxx-generatedkey-xxx}. */
    private static final Pattern HOOK_PATH = Pattern.compile(".*/hooks/[A-Za-z0-9]+");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    static MattermostSettings from(MattermostChannel.Config c) {
        String raw = Keys.optional(c._url());
        if (raw == null) {
            throw new IllegalArgumentException("url: missing");
        }
        URI url = httpUrl(raw);
        if (url == null || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null
                || url.getRawPath() == null || !HOOK_PATH.matcher(url.getRawPath()).matches()) {
            throw new IllegalArgumentException(
                    "url: must be the incoming webhook's URL, https://<your Mattermost>/hooks/<key>");
        }
        String channel = Keys.optional(c._channel());
        if (channel != null && !NO_SPACE.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel: must be a channel's name such as town-square (not its"
                    + " display name) or @username, got \"" + channel + "\"");
        }
        String iconUrl = Keys.optional(c._icon__url());
        if (iconUrl != null && httpUrl(iconUrl) == null) {
            throw new IllegalArgumentException("icon_url: must be an http or https URL, got \"" + iconUrl + "\"");
        }
        Keys.maxPerHour(c::max__per__hour);
        return new MattermostSettings(url, channel, Keys.optional(c._username()), iconUrl);
    }

    private static URI httpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The secret parts of the webhook URL: the whole of it and its key. */
    String[] secrets() {
        String path = url.getRawPath();
        return new String[] {url.toString(), path.substring(path.lastIndexOf('/') + 1)};
    }

    @Override
    public String toString() {
        return "MattermostSettings[" + url.getScheme() + "://" + url.getAuthority() + "/hooks/***, channel=" + channel
                + ", username=" + username + ", icon_url=" + iconUrl + "]";
    }
}
