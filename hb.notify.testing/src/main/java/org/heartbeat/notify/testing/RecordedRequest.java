package org.heartbeat.notify.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One request as a {@link FakeService} received it, byte for byte: method, raw (still percent-encoded) path
 * and query, headers and body. The helpers decode it the way a server would.
 */
public final class RecordedRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    RecordedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body.clone();
    }

    public String method() {
        return method;
    }

    /** The path as sent, percent-encoding included ({@code /rooms/%21abc%3Aexample.org/send}). */
    public String rawPath() {
        return rawPath;
    }

    /** The path with percent-encoding undone. */
    public String path() {
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The query as sent, without the {@code ?}; empty when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of a header (names are case-insensitive), if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The media type of the body without parameters, in lower case ({@code application/json}); empty if none. */
    public String mediaType() {
        return header("Content-Type").map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body decoded as {@code application/x-www-form-urlencoded}: each name with its values in order. */
    public Map<String, List<String>> form() {
        return decodePairs(bodyText());
    }

    /** The query decoded: each name with its values in order. */
    public Map<String, List<String>> query() {
        return decodePairs(rawQuery);
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + bodyText(), e);
        }
    }

    /** Whether the body is a JSON object. */
    public boolean isJsonObject() {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    static Map<String, List<String>> decodePairs(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " " + headers + " " + bodyText();
    }
}
