package org.heartbeat.notify.voipms.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.heartbeat.notify.support.Keys;

/**
 * A VoIP.ms channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose message
 * names the key and never repeats the API password.
 */
record VoipmsSettings(URI apiUrl, String username, String password, String did, List<String> destinations) {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{10,15}");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    static VoipmsSettings from(VoipmsChannel.Config c) {
        String username = Keys.required("api_username", c._api__username());
        if (!NO_SPACE.matcher(username).matches() || username.indexOf('@') < 1) {
            throw new IllegalArgumentException("api_username: must be the e-mail address you log in to voip.ms with,"
                    + " got \"" + username + "\"");
        }
        String password = Keys.required("api_password", c._api__password());
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("api_password: must not contain control characters");
        }
        String did = Keys.required("did", c._did());
        if (!DIGITS.matcher(did).matches()) {
            throw new IllegalArgumentException("did: must be your SMS-enabled VoIP.ms number as digits only, such as"
                    + " 5551234567, got \"" + did + "\"");
        }
        Set<String> destinations = new LinkedHashSet<>();
        for (String d : c._destination() == null ? new String[0] : c._destination()) {
            if (d == null || d.isBlank()) {
                continue;
            }
            if (!DIGITS.matcher(d.trim()).matches()) {
                throw new IllegalArgumentException("destination: must be phone numbers as digits only, such as"
                        + " 5559876543, got \"" + d.trim() + "\"");
            }
            destinations.add(d.trim());
        }
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("destination: missing; one phone number or a list, digits only");
        }
        Keys.maxPerHour(c::max__per__hour);
        String url = c._api__url() == null || c._api__url().isBlank() ? VoipmsChannel.DEFAULT_API_URL : c._api__url();
        return new VoipmsSettings(apiUrl(url.trim()), username, password, did, List.copyOf(destinations));
    }

    private static URI apiUrl(String value) {
        String problem = "api_url: must be an http or https URL such as " + VoipmsChannel.DEFAULT_API_URL
                + ", without a query, got \"" + value + "\"";
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(problem);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The password as written and as it travels in the query, to keep out of every text. */
    String[] secrets() {
        return new String[] {password, URLEncoder.encode(password, StandardCharsets.UTF_8)};
    }

    @Override
    public String toString() {
        return "VoipmsSettings[" + apiUrl + ", did=" + did + ", " + destinations.size() + " destination(s)]";
    }
}
