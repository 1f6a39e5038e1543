package org.heartbeat.notify.signal.internal;

import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.heartbeat.notify.support.Keys;

/**
 * A Signal channel's configuration, checked: every mistake is an {@link IllegalArgumentException} whose message
 * names the key. Nothing here is secret (the REST API has no authentication of its own: keep it on a private
 * address), but phone numbers are personal data and are only repeated where the operator needs them.
 */
record SignalSettings(URI sendUri, String number, List<String> recipients) {
    /** E.164: a plus, a country code and at most 15 digits in all. */
    private static final Pattern NUMBER = Pattern.compile("\\+[1-9][0-9]{6,14}");
    /** The REST API's group ids: "group." and the base64 of signal-cli's (itself base64) group id. */
    static final String GROUP_PREFIX = "group.";

    static SignalSettings from(SignalChannel.Config c) {
        URI base = Keys.baseUrl("url", c._url(), "http://127.0.0.1:8080");
        String number = Keys.required("number", c._number());
        if (!NUMBER.matcher(number).matches()) {
            throw new IllegalArgumentException("number: must be the registered sender's number in international"
                    + " format, such as +4915112345678, got \"" + number + "\"");
        }
        Set<String> recipients = new LinkedHashSet<>();
        for (String r : c._recipients() == null ? new String[0] : c._recipients()) {
            if (r != null && !r.isBlank()) {
                recipients.add(r.trim());
            }
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients: missing; list phone numbers (+4915112345678) or one"
                    + " group id (group.xxxx)");
        }
        int groups = 0;
        for (String r : recipients) {
            if (r.startsWith(GROUP_PREFIX)) {
                groups++;
                if (!isBase64(r.substring(GROUP_PREFIX.length()))) {
                    throw new IllegalArgumentException("recipients: \"" + r + "\" is not a group id as"
                            + " GET /v1/groups/{number} lists it (group. and base64)");
                }
            } else if (!NUMBER.matcher(r).matches()) {
                throw new IllegalArgumentException("recipients: \"" + r + "\" is neither a phone number in"
                        + " international format (+4915112345678) nor a group id (group.xxxx)");
            }
        }
        if (groups > 0 && recipients.size() > 1) {
            // signal-cli-rest-api refuses numbers with a group, and two groups, in one request
            throw new IllegalArgumentException("recipients: a group cannot share a channel with numbers or another"
                    + " group (the REST API sends to one group or to numbers per request); configure one channel each");
        }
        Keys.maxPerHour(c::max__per__hour);
        return new SignalSettings(URI.create(base + "/v2/send"), number, List.copyOf(recipients));
    }

    private static boolean isBase64(String s) {
        try {
            return !s.isEmpty() && Base64.getDecoder().decode(s).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
