package org.heartbeat.notify.support;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading a service's answer for a delivery's detail. */
public final class Answers {
    /** At most this many characters of an answer go into a detail. */
    public static final int SNIPPET = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    /** The body as a JSON object; empty when it is no JSON, or JSON but not an object. */
    public static Optional<JsonNode> jsonObject(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The start of a body, for a detail: white space folded, at most {@value #SNIPPET} characters, an ellipsis when
     * cut (never inside a surrogate pair); empty for no body.
     *
     * <pre>{@code
     * Answers.snippet("<html>\n  <body>Bad Gateway</body>\n</html>")   // "<html> <body>Bad Gateway</body> </html>"
     * }</pre>
     */
    public static String snippet(String body) {
        String s = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        if (s.length() <= SNIPPET) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(SNIPPET - 1)) ? SNIPPET - 1 : SNIPPET;
        return s.substring(0, end) + "\u2026";
    }
}
