package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The OpenAPI document at {@code /api/openapi.json} against the API it describes: every operation the document lists
 * is called on a real bin/hbd (with a user, HTTP Basic, a host that reported plugin values and one gone overdue with
 * an alert), and each answer must be a status the operation documents, with a body valid against that response's
 * schema. The schemas forbid fields they do not list and require every field they list, so a field added, dropped,
 * renamed or retyped on either side fails here.
 */
class OpenApiTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final List<String> problems = new ArrayList<>();
    private final Set<String> called = new TreeSet<>();
    private JsonNode document;
    private Hbd hbd;
    private String authorization;

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays(@TempDir Path dir) throws Exception {
        RunningProcess passwd = RunningProcess.start("hbd", dir, List.of("bash", "-c", "exec \"$0\" passwd alice < "
                + Files.writeString(dir.resolve("stdin"), "s3cret horse\n"), Dist.HBD.toString()),
                Map.of("HOME", dir.toString()));
        assertThat(passwd.awaitExit(Duration.ofSeconds(30))).as(passwd.output()).isZero();
        String hash = passwd.output().strip();
        authorization = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret horse".getBytes(
                StandardCharsets.UTF_8));
        String yaml = """
                notification_channels:
                  chat:
                    type: pushover
                    token: azGDORePK8gMaC0QOYAMyEEuzJnyUi
                    user: uQiRzpo4DXghDmr9QzzfQu27cmVRsG
                    api_url: http://127.0.0.1:9/
                users:
                  alice:
                    password: HASH
                    admin: true
                    notification_channels: [chat]
                default_owner: alice
                """.replace("HASH", hash);
        try (Hbd started = Hbd.start(dir, yaml); DatagramSocket socket = new DatagramSocket()) {
            hbd = started;
            long now = System.currentTimeMillis();
            send(socket, Datagrams.encode(Heartbeat.of("web1", now * 1000, now, 60_000), null));
            for (byte[] part : Datagrams.encodePluginSample("web1", now, 60_000, "cpu_monitor",
                    Map.of("cpu_percent", 12.5), null, n -> now * 1000 + 1)) {
                send(socket, part);
            }
            send(socket, Datagrams.encode(Heartbeat.of("web2", now * 1000 + 2, now, 1000), null));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> JSON.readTree(
                    request("GET", "/api/alerts", null).body()).size() > 0
                    && JSON.readTree(request("GET", "/api/hosts/web1/plugins", null).body()).path("plugins")
                            .has("cpu_monitor"));

            document = JSON.readTree(call("GET", "/api/openapi.json", "/api/openapi.json", null, 200).body());

            HttpResponse<String> page = call("GET", "/api/hosts", "/api/hosts?limit=1", null, 200);
            assertThat(page.headers().firstValue("Link")).contains("</api/hosts?after=web1&limit=1>; rel=\"next\"");
            assertThat(JSON.readTree(page.body()).get(0).path("name").asText()).isEqualTo("web1");
            call("GET", "/api/hosts", "/api/hosts", null, 200);
            call("GET", "/api/hosts/{host}", "/api/hosts/web1", null, 200);
            call("GET", "/api/hosts/{host}", "/api/hosts/web9", null, 404);
            call("GET", "/api/hosts/{host}/plugins", "/api/hosts/web1/plugins", null, 200);
            call("GET", "/api/hosts/{host}/plugins/{plugin}", "/api/hosts/web1/plugins/cpu_monitor", null, 200);
            call("GET", "/api/hosts/{host}/plugins/{plugin}/history",
                    "/api/hosts/web1/plugins/cpu_monitor/history?metric=/cpu_percent", null, 200);
            call("GET", "/api/hosts/{host}/plugins/{plugin}/history", "/api/hosts/web1/plugins/cpu_monitor/history",
                    null, 400);
            call("GET", "/api/hosts/{host}/events", "/api/hosts/web1/events", null, 200);
            call("GET", "/api/events", "/api/events?limit=1", null, 200);
            call("GET", "/api/check/{host}", "/api/check/web1", null, 200);

            HttpResponse<String> queued = call("POST", "/api/hosts/{host}/commands", "/api/hosts/web1/commands",
                    "{\"command\": \"set-interval\", \"argument\": \"30\"}", 201);
            assertThat(JSON.readTree(queued.body()).path("name").asText()).isEqualTo("set-interval");
            HttpResponse<String> refused = call("POST", "/api/hosts/{host}/commands", "/api/hosts/web1/commands",
                    "{\"command\": \"set-interval\", \"argument\": \"none\"}", 400);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("set-interval");
            call("POST", "/api/hosts/{host}/commands", "/api/hosts/web9/commands", "{\"command\": \"ping\"}", 404);
            HttpResponse<String> pending = call("GET", "/api/hosts/{host}/commands", "/api/hosts/web1/commands",
                    null, 200);
            assertThat(JSON.readTree(pending.body()).size()).isEqualTo(1);

            call("GET", "/api/alerts", "/api/alerts", null, 200);
            call("GET", "/api/alerts/history", "/api/alerts/history", null, 200);
            call("POST", "/api/alerts/ack", "/api/alerts/ack", "{\"host\": \"web2\", \"comment\": \"on it\"}", 200);
            HttpResponse<String> silence = call("POST", "/api/silences", "/api/silences",
                    "{\"host\": \"web2\", \"duration\": \"1h\", \"reason\": \"test\"}", 201);
            call("GET", "/api/silences", "/api/silences", null, 200);
            call("DELETE", "/api/silences/{id}", "/api/silences/" + JSON.readTree(silence.body()).path("id").asText(),
                    null, 204);
            call("GET", "/api/channels", "/api/channels", null, 200);
            call("GET", "/api/outbox", "/api/outbox", null, 200);
            call("POST", "/api/outbox/{id}/retry", "/api/outbox/none/retry", null, 404);
            call("POST", "/api/notify", "/api/notify", "{\"channel\": \"chat\"}", 200);
            HttpResponse<String> put = call("PUT", "/api/hosts/{host}/settings", "/api/hosts/web1/settings",
                    "{\"interval\": \"2m\", \"tags\": [\"web\"]}", 200);
            assertThat(JSON.readTree(put.body()).path("interval").asInt()).isEqualTo(120);
            call("PUT", "/api/hosts/{host}/settings", "/api/hosts/web1/settings", "{\"grace\": -1}", 400);
            call("PUT", "/api/hosts/{host}/settings", "/api/hosts/web9/settings", "{}", 404);
            call("GET", "/api/hosts/{host}/settings", "/api/hosts/web1/settings", null, 200);
            call("GET", "/api/hosts/{host}", "/api/hosts/web1", null, 200);
            call("DELETE", "/api/hosts/{host}/settings", "/api/hosts/web1/settings", null, 204);
            call("DELETE", "/api/hosts/{host}", "/api/hosts/web1", null, 204);
            call("DELETE", "/api/hosts/{host}", "/api/hosts/web1", null, 404);
            HttpResponse<String> users = call("GET", "/api/users", "/api/users", null, 200);
            assertThat(users.body()).isEqualTo("[{\"name\":\"alice\",\"admin\":true,\"channels\":[\"chat\"]}]");
            HttpResponse<String> status = call("GET", "/api/status", "/api/status", null, 200);
            assertThat(JSON.readTree(status.body()).path("bundles").findValuesAsText("symbolic_name"))
                    .contains("hb.server.http");

            assertThat(problems).isEmpty();
            assertThat(called).as("every operation of the document was called").isEqualTo(operations());
            assertThat(hbd.log()).doesNotContain("s3cret", hash);
            // what changed state is in the audit log, commands and forgetting included
            assertThat(hbd.log()).contains("action=command target=").contains("action=forget target=")
                    .contains("action=silence target=");
        }
    }

    private void send(DatagramSocket socket, byte[] d) throws Exception {
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
    }

    private HttpResponse<String> request(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Calls one operation, expects {@code status}, and checks the answer against the document: the status must be
     * one the operation lists, and the body valid against its schema. Problems are collected, all reported at once.
     */
    private HttpResponse<String> call(String method, String template, String path, String body, int status)
            throws Exception {
        HttpResponse<String> r = request(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        String operation = method + " " + template;
        called.add(operation);
        if (document == null) {
            return r;
        }
        JsonNode op = document.path("paths").path(template).path(method.toLowerCase(java.util.Locale.ROOT));
        if (op.isMissingNode()) {
            problems.add(operation + ": not in the document");
            return r;
        }
        JsonNode response = op.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            problems.add(operation + ": answered " + status + ", which the document does not list");
            return r;
        }
        JsonNode content = response.path("content");
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (content.isMissingNode()) {
            if (!r.body().isEmpty()) {
                problems.add(operation + ": a body where the document has none");
            }
            return r;
        }
        if (content.has("text/plain")) {
            if (!type.startsWith("text/plain")) {
                problems.add(operation + ": " + type + " where the document says text/plain");
            }
            return r;
        }
        if (!type.startsWith("application/json")) {
            problems.add(operation + ": " + type + " where the document says application/json");
            return r;
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("components", document.path("components"));
        schema.putArray("allOf").add(content.path("application/json").path("schema"));
        List<Error> errors = SCHEMAS.getSchema(JSON.writeValueAsString(schema)).validate(r.body(), InputFormat.JSON);
        for (Error e : errors) {
            problems.add(operation + " (" + status + "): " + e);
        }
        return r;
    }

    private Set<String> operations() {
        Set<String> all = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> all.add(m.toUpperCase(java.util.Locale.ROOT) + " "
                    + p.getKey()));
        }
        return all;
    }
}
