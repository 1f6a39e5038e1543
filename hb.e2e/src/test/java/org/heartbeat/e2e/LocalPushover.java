package org.heartbeat.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Pushover's message API, checking each request as pushover.net/api documents it:
 * {@code POST /1/messages.json}, a form body ({@code application/x-www-form-urlencoded}) with the application's
 * {@code token} and the {@code user} key (each 30 letters and digits) and a non-empty {@code message} of at most 1024
 * characters. A good request gets {@code {"status":1,"request":"..."}}; a bad one 400 with
 * {@code {"status":0,"errors":[...]}}, as the real service answers, and is recorded as a problem.
 */
final class LocalPushover implements AutoCloseable {
    record Message(Instant received, Map<String, String> form) {
        String title() {
            return form.getOrDefault("title", "");
        }

        String text() {
            return form.getOrDefault("message", "");
        }
    }

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** When not 0, every request is answered with this status (500, 503: a service having a bad moment). */
    volatile int failWith;
    final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpServer server;
    private final String token;
    private final String user;

    LocalPushover(String token, String user) throws IOException {
        this.token = token;
        this.user = user;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        Instant received = Instant.now();
        String problem = null;
        Map<String, String> form = Map.of();
        try (InputStream in = x.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!x.getRequestMethod().equals("POST") || !x.getRequestURI().getPath().equals("/1/messages.json")) {
                problem = "expected POST /1/messages.json, got " + x.getRequestMethod() + " " + x.getRequestURI();
            } else if (!x.getRequestHeaders().getFirst("Content-Type").startsWith(
                    "application/x-www-form-urlencoded")) {
                problem = "expected a form body, got " + x.getRequestHeaders().getFirst("Content-Type");
            } else {
                form = parse(body);
                if (!token.equals(form.get("token"))) {
                    problem = "application token is invalid";
                } else if (!user.equals(form.get("user"))) {
                    problem = "user identifier is not a valid user, group, or subscribed user key";
                } else if (form.getOrDefault("message", "").isBlank()) {
                    problem = "message cannot be blank";
                } else if (form.get("message").length() > 1024) {
                    problem = "message is too long";
                }
            }
        }
        byte[] answer;
        if (failWith != 0) {
            refused.incrementAndGet();
            answer = "{\"status\":0,\"errors\":[\"temporarily unavailable\"]}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(failWith, answer.length);
        } else if (problem == null) {
            messages.add(new Message(received, form));
            answer = "{\"status\":1,\"request\":\"647d2300-702c-4b38-8b2f-d56326ae460b\"}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
        } else {
            problems.add(problem);
            answer = ("{\"status\":0,\"errors\":[\"" + problem + "\"]}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(400, answer.length);
        }
        x.getResponseBody().write(answer);
        x.close();
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    List<String> titles() {
        return messages.stream().map(Message::title).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
