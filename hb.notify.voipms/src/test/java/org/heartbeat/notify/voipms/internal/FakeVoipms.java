package org.heartbeat.notify.voipms.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.heartbeat.notify.testing.Answer;
import org.heartbeat.notify.testing.FakeService;
import org.heartbeat.notify.testing.RecordedRequest;

/**
 * The VoIP.ms REST API's {@code sendSMS} for one account: {@code GET /api/v1/rest.php} with every parameter in the
 * query; HTTP 200 with {@code {"status":"success","sms":"23434"}}, or HTTP 200 with an error status
 * ({@code invalid_credentials}, {@code ip_not_enabled}, {@code invalid_dst}, {@code sms_toolong}, ...).
 */
final class FakeVoipms extends FakeService {
    static final String PATH = "/api/v1/rest.php";
    private static final String HANG = "(hang)";
    private static final Set<String> PARAMETERS = Set.of("api_username", "api_password", "method", "did", "dst",
            "message");

    private final String username;
    private final String password;
    private final String did;
    private final Set<String> reachable;
    private final Map<String, Deque<String>> scriptedStatus = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger(23433);
    volatile boolean ipAllowed = true;
    /** Every SMS sent: destination and text. */
    final List<Map.Entry<String, String>> sent = new CopyOnWriteArrayList<>();

    FakeVoipms(String username, String password, String did, Set<String> reachable) {
        this.username = username;
        this.password = password;
        this.did = did;
        this.reachable = reachable;
    }

    String apiUrl() {
        return baseUrl() + PATH;
    }

    /** The next request to {@code dst} gets no answer at all. */
    void hangNext(String dst) {
        failNext(dst, HANG);
    }

    /** The next request to {@code dst} is answered with this status (and sends nothing). */
    void failNext(String dst, String status) {
        scriptedStatus.computeIfAbsent(dst, k -> new ArrayDeque<>()).add(status);
    }

    @Override
    protected List<String> check(RecordedRequest r) {
        List<String> p = new ArrayList<>();
        if (!r.method().equals("GET")) {
            p.add("the channel sends with GET, got " + r.method());
        }
        if (!r.rawPath().equals(PATH)) {
            p.add("the REST API is " + PATH + ", got " + r.rawPath());
        }
        if (r.body().length > 0) {
            p.add("a GET carries no body");
        }
        Map<String, List<String>> q = r.query();
        q.forEach((k, v) -> {
            if (!PARAMETERS.contains(k)) {
                p.add("sendSMS takes no parameter " + k);
            }
            if (v.size() != 1) {
                p.add(k + " given " + v.size() + " times");
            }
        });
        for (String required : PARAMETERS) {
            if (value(q, required).isEmpty()) {
                p.add(required + " is required");
            }
        }
        if (!value(q, "method").equals("sendSMS")) {
            p.add("method must be sendSMS");
        }
        if (!value(q, "did").matches("\\d+") || !value(q, "dst").matches("\\d+")) {
            p.add("did and dst are digits");
        }
        if (value(q, "message").getBytes(StandardCharsets.UTF_8).length > 160) {
            p.add("message over 160 bytes");
        }
        return p;
    }

    @Override
    protected Answer answer(RecordedRequest r) {
        Map<String, List<String>> q = r.query();
        if (!ipAllowed) {
            return status("ip_not_enabled");
        }
        if (!value(q, "api_username").equals(username) || !value(q, "api_password").equals(password)) {
            return status("invalid_credentials");
        }
        if (!value(q, "method").equals("sendSMS")) {
            return status("invalid_method");
        }
        if (!value(q, "did").equals(did)) {
            return status("invalid_did");
        }
        String dst = value(q, "dst");
        String message = value(q, "message");
        if (message.isEmpty()) {
            return status("missing_message");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > 160) {
            return status("sms_toolong");
        }
        Deque<String> scripted = scriptedStatus.get(dst);
        String next = scripted == null ? null : scripted.poll();
        if (next != null) {
            return next.equals(HANG) ? Answer.hang() : status(next);
        }
        if (!reachable.contains(dst)) {
            return status("invalid_dst");
        }
        sent.add(Map.entry(dst, message));
        return Answer.json(200, "{\"status\":\"success\",\"sms\":\"" + sequence.incrementAndGet() + "\"}");
    }

    static Answer status(String status) {
        return Answer.json(200, "{\"status\":\"" + status + "\"}");
    }

    private static String value(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }
}
