package org.heartbeat.notify.matrix.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A homeserver's client-server API as spec.matrix.org documents it, for one account: bearer-token authentication,
 * {@code GET /_matrix/client/v3/directory/room/{roomAlias}}, and {@code PUT
 * /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}} into the rooms the account has joined, idempotent
 * per transaction id; errors as {@code {"errcode": ..., "error": ...}}.
 */
final class FakeMatrix extends FakeService {
    private static final Pattern SEND = Pattern.compile("/_matrix/client/v3/rooms/([^/]+)/send/([^/]+)/([^/]+)");
    private static final Pattern DIRECTORY = Pattern.compile("/_matrix/client/v3/directory/room/([^/]+)");

    private final String token;
    private final Set<String> joined;
    final Map<String, String> aliases = new ConcurrentHashMap<>();
    /** Events stored, in order: the room id and the event's content. */
    final List<Map.Entry<String, JsonNode>> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> transactions = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    FakeMatrix(String token, Set<String> joined) {
        this.token = token;
        this.joined = joined;
    }

    @Override
    protected List<String> check(RecordedRequest r) {
        List<String> p = new ArrayList<>();
        if (!r.header("Authorization").orElse("").startsWith("Bearer ")) {
            p.add("the access token belongs in an Authorization: Bearer header");
        }
        if (r.query().containsKey("access_token")) {
            p.add("the access token must not travel in the query");
        }
        Matcher send = SEND.matcher(r.rawPath());
        if (send.matches()) {
            if (!r.method().equals("PUT")) {
                p.add("events are sent with PUT, got " + r.method());
            }
            if (!r.mediaType().equals("application/json")) {
                p.add("JSON bodies need Content-Type application/json");
            }
            String roomId = decode(send.group(1));
            if (!roomId.matches("![^:]+:.+")) {
                p.add("not a room id: " + roomId);
            }
            if (!decode(send.group(2)).equals("m.room.message")) {
                p.add("event type must be m.room.message, got " + decode(send.group(2)));
            }
            if (!r.isJsonObject()) {
                p.add("the content must be a JSON object");
                return p;
            }
            JsonNode c = r.json();
            if (!c.path("msgtype").asText().equals("m.text")) {
                p.add("msgtype must be m.text");
            }
            if (!c.path("body").isTextual() || c.path("body").asText().isEmpty()) {
                p.add("body is required");
            }
            if (c.has("formatted_body") && !c.path("format").asText().equals("org.matrix.custom.html")) {
                p.add("formatted_body needs format org.matrix.custom.html");
            }
        } else if (DIRECTORY.matcher(r.rawPath()).matches()) {
            if (!r.method().equals("GET")) {
                p.add("aliases are looked up with GET, got " + r.method());
            }
            String alias = decode(DIRECTORY.matcher(r.rawPath()).replaceAll("$1"));
            if (!alias.matches("#[^:]+:.+")) {
                p.add("not a room alias: " + alias);
            }
        } else {
            p.add("not an endpoint of this API: " + r.rawPath());
        }
        return p;
    }

    @Override
    protected Answer answer(RecordedRequest r) {
        String auth = r.header("Authorization").orElse("");
        if (auth.isEmpty()) {
            return error(401, "M_MISSING_TOKEN", "Missing access token.");
        }
        if (!auth.equals("Bearer " + token)) {
            return Answer.json(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\","
                    + "\"soft_logout\":false}");
        }
        Matcher directory = DIRECTORY.matcher(r.rawPath());
        if (directory.matches()) {
            String alias = decode(directory.group(1));
            String roomId = aliases.get(alias);
            return roomId == null ? error(404, "M_NOT_FOUND", "Room alias " + alias + " not found.")
                    : Answer.json(200, "{\"room_id\":\"" + roomId + "\",\"servers\":[\"example.org\"]}");
        }
        Matcher send = SEND.matcher(r.rawPath());
        if (!send.matches()) {
            return error(404, "M_UNRECOGNIZED", "Unrecognized request");
        }
        String roomId = decode(send.group(1));
        if (!joined.contains(roomId)) {
            return error(403, "M_FORBIDDEN", "User @heartbeat:example.org not in room " + roomId);
        }
        String eventId = transactions.computeIfAbsent(auth + " " + r.rawPath(), k -> {
            events.add(Map.entry(roomId, r.json()));
            return "$event" + sequence.incrementAndGet() + ":example.org";
        });
        return Answer.json(200, "{\"event_id\":\"" + eventId + "\"}");
    }

    static Answer error(int status, String errcode, String error) {
        return Answer.json(status, "{\"errcode\":\"" + errcode + "\",\"error\":\"" + error + "\"}");
    }

    static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
