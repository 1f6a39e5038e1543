package org.heartbeat.notify.voipms.internal;

import java.util.Map;

/**
 * What a {@code status} other than {@code success} in VoIP.ms's answer means ("Function Status and Error Codes" of
 * the VoIP.ms API documentation; VoIP.ms answers HTTP 200 to all of them). Permanent ones will fail again until the
 * operator changes something, in hbd's configuration or in the VoIP.ms portal; transient ones may pass later.
 * A status not listed here is transient unless it starts with {@code invalid_} or {@code missing_} (a parameter
 * VoIP.ms rejects): retried, and shown with every try, rather than losing the notification.
 */
enum VoipmsStatus {
    PERMANENT,
    TRANSIENT;

    private static final Map<String, String> PERMANENT_MEANING = Map.ofEntries(
            Map.entry("invalid_credentials", "api_username or api_password is wrong"),
            Map.entry("missing_credentials", "api_username or api_password is missing"),
            Map.entry("api_not_enabled", "API access is not enabled in the VoIP.ms portal"),
            Map.entry("ip_not_enabled", "this host's IP address is not allowed to use the API (VoIP.ms portal,"
                    + " SOAP and REST/JSON API)"),
            Map.entry("ip_not_authorized", "this host's IP address is not allowed to use the API"),
            Map.entry("invalid_did", "did is not a VoIP.ms number of this account with SMS enabled"),
            Map.entry("missing_did", "did is missing"),
            Map.entry("invalid_dst", "the destination is not a valid number"),
            Map.entry("missing_dst", "the destination is missing"),
            Map.entry("invalid_message", "VoIP.ms refused the text"),
            Map.entry("missing_message", "the text is missing"),
            Map.entry("sms_toolong", "the text is longer than VoIP.ms accepts"),
            Map.entry("invalid_method", "VoIP.ms does not know method sendSMS"),
            Map.entry("missing_method", "the method is missing"));

    private static final Map<String, String> TRANSIENT_MEANING = Map.of(
            "sms_failed", "VoIP.ms could not send the SMS this time",
            "limit_reached", "the account's daily SMS limit is reached");

    static VoipmsStatus of(String status) {
        if (PERMANENT_MEANING.containsKey(status) || TRANSIENT_MEANING.containsKey(status)) {
            return PERMANENT_MEANING.containsKey(status) ? PERMANENT : TRANSIENT;
        }
        return status.startsWith("invalid_") || status.startsWith("missing_") ? PERMANENT : TRANSIENT;
    }

    /** The status and what it means, for the delivery detail. */
    static String describe(String status) {
        String meaning = PERMANENT_MEANING.getOrDefault(status, TRANSIENT_MEANING.get(status));
        return meaning == null ? status : status + " (" + meaning + ")";
    }
}
