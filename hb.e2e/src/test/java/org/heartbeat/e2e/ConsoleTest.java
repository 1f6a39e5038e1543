package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runtime console (README, "The runtime console"; docs/USERS.md) against the real bin/hbd: the Felix Web Console
 * at /system/console answers only admins (the login page or 401 without credentials, 403 for a user who is not an
 * admin), lists hbd's bundles, installs an uploaded bundle into the plugin directory, where it is still active after
 * a restart, never shows a channel's token, a host's key or a password hash, and is gone (404) after
 * {@code console: off} and {@code hbd reload}.
 */
class ConsoleTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "Basic " + Base64.getEncoder().encodeToString("root:pw".getBytes(
            StandardCharsets.UTF_8));
    private static final String ANN = "Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(
            StandardCharsets.UTF_8));
    private static final String HOST_KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static HttpResponse<String> get(Hbd hbd, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The console's upload, as its "Install/Update" dialog sends it (multipart, field bundlefile). */
    private static HttpResponse<String> upload(Hbd hbd, String authorization, String fileName, byte[] jar)
            throws Exception {
        String boundary = "----hb" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String fields = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ninstall\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlestart\"\r\n\r\nstart\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n";
        body.write(fields.getBytes(StandardCharsets.UTF_8));
        body.write(jar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort
                + "/system/console/bundles/install")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The state the console reports for a bundle ("Active", ...), or "absent". */
    private static String state(Hbd hbd, String symbolicName) throws Exception {
        HttpResponse<String> r = get(hbd, "/system/console/bundles.json", ROOT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode b : JSON.readTree(r.body()).path("data")) {
            if (symbolicName.equals(b.path("symbolicName").asText())) {
                return b.path("state").asText();
            }
        }
        return "absent";
    }

    private static String config(Path dir, String more) {
        return """
                users:
                  root:
                    password: HASH
                    admin: true
                  ann:
                    password: HASH
                notification_channels:
                  ops:
                    type: pushover
                    token: TOKEN
                    user: USER
                hosts:
                  web1:
                    key: KEY
                """.replace("HASH", LifecycleTest.HASH).replace("TOKEN", LifecycleTest.TOKEN)
                .replace("USER", LifecycleTest.USER).replace("KEY", HOST_KEY) + more;
    }

    @Test
    void adminsOnlyUploadsStayAndSecretsStayHidden(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Dist.HOME.resolve("plugins/hbd/hb.notify.pushover.jar"), plugins.resolve("hb.notify.pushover.jar"));
        Hbd.writeConfig(dir, config(dir, ""));
        try (Hbd hbd = Hbd.startWith(dir, dir.resolve("hb.yaml"))) {
            // The console and its gate register a moment after hbd is ready; before that /system/console is a 404.
            await().atMost(Duration.ofSeconds(10)).until(() -> get(hbd, "/system/console/bundles", ROOT)
                    .statusCode() == 200);
            HttpResponse<String> anonymous = get(hbd, "/system/console/bundles", null);
            assertThat(anonymous.statusCode()).as("a page without a session goes to the login page").isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login?next=%2Fsystem%2Fconsole%2Fbundles");
            HttpResponse<String> script = upload(hbd, null, "x.jar", new byte[] {1});
            assertThat(script.statusCode()).as("a POST without credentials").isEqualTo(401);
            assertThat(script.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"hbd\"");
            HttpResponse<String> notAdmin = get(hbd, "/system/console/bundles", ANN);
            assertThat(notAdmin.statusCode()).isEqualTo(403);
            assertThat(notAdmin.body()).contains("the console is for admins");
            assertThat(upload(hbd, ANN, "x.jar", new byte[] {1}).statusCode()).isEqualTo(403);

            HttpResponse<String> bundles = get(hbd, "/system/console/bundles", ROOT);
            assertThat(bundles.headers().firstValue("Content-Security-Policy")).as("the console's own policy")
                    .hasValueSatisfying(p -> assertThat(p).contains("'unsafe-inline'", "frame-ancestors 'none'"));
            assertThat(state(hbd, "hb.server")).isEqualTo("Active");
            assertThat(state(hbd, "hb.server.console")).isEqualTo("Active");
            assertThat(get(hbd, "/system/console/components", ROOT).statusCode()).isEqualTo(200);
            HttpResponse<String> ws = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.wsPort
                    + "/system/console/bundles")).header("Authorization", ROOT).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ws.statusCode()).as("not on the WebSocket port, which has no access gate").isIn(404, 426);
            assertThat(ws.body()).doesNotContain("hb.server");

            // secrets: the channel's token and user key, the host's key, the password hash appear nowhere
            await().atMost(Duration.ofSeconds(10)).until(() -> state(hbd, "hb.notify.pushover").equals("Active"));
            List<String> pages = new ArrayList<>();
            for (String path : List.of("/system/console/configMgr",
                    "/system/console/configMgr/" + URLEncoder.encode("(service.pid=*)", StandardCharsets.UTF_8)
                            .replace("+", "%20") + ".json",
                    "/system/console/configMgr/(heartbeat.channel.name=ops).json",
                    "/system/console/services", "/system/console/services.json", "/system/console/components",
                    "/system/console/components.json", "/system/console/bundles.json")) {
                HttpResponse<String> page = get(hbd, path, ROOT);
                assertThat(page.statusCode()).as(path).isEqualTo(200);
                pages.add(page.body());
            }
            assertThat(pages.get(2)).as("the channel's configuration is listed").contains("heartbeat.channel.name");
            for (String page : pages) {
                assertThat(page).doesNotContain(LifecycleTest.TOKEN, LifecycleTest.USER, HOST_KEY,
                        LifecycleTest.HASH);
            }
            HttpResponse<String> status = get(hbd, "/system/console/status-Configurations", ROOT);
            assertThat(status.statusCode()).isEqualTo(403);
            assertThat(status.body()).doesNotContain(LifecycleTest.TOKEN);

            // an upload goes into the plugin directory, and FileInstall starts it
            byte[] jar = Files.readAllBytes(Dist.HOME.resolve("plugins/hbd/hb.notify.mattermost.jar"));
            HttpResponse<String> installed = upload(hbd, ROOT, "my-mattermost.jar", jar);
            assertThat(installed.statusCode()).as(installed.body()).isEqualTo(200);
            assertThat(plugins.resolve("hb.notify.mattermost.jar")).exists();
            await().atMost(Duration.ofSeconds(15)).until(() -> state(hbd, "hb.notify.mattermost").equals("Active"));
            Path core;
            try (var jars = Files.list(Dist.HOME.resolve("lib/hbd/jar"))) {
                core = jars.filter(p -> p.getFileName().toString().startsWith("hb.server-")).findFirst().orElseThrow();
            }
            HttpResponse<String> runtime = upload(hbd, ROOT, "hb.server.jar", Files.readAllBytes(core));
            assertThat(runtime.statusCode()).as(runtime.body()).isEqualTo(409);
            assertThat(runtime.body()).contains("part of hbd's runtime");
            assertThat(hbd.log()).contains("console: root uploaded my-mattermost.jar")
                    .doesNotContain(LifecycleTest.TOKEN, HOST_KEY);
        }

        try (Hbd hbd = Hbd.startWith(dir, dir.resolve("hb.yaml"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> state(hbd, "hb.notify.mattermost").equals("Active"));
            hbd.pinPorts();

            Files.writeString(hbd.config, Files.readString(hbd.config) + "console: off\n");
            RunningProcess reload = Clients.hbd(dir, "reload", "-c", hbd.config.toString());
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).as(reload.output()).isZero();
            // the reload moves the HTTP instance from port 0 to the pinned port: it restarts, so wait for it
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> get(hbd, "/api/status", ROOT)
                    .statusCode() == 200 && get(hbd, "/system/console/bundles", ROOT).statusCode() == 404);
            HttpResponse<String> off = get(hbd, "/system/console/bundles", ROOT);
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(off.body()).contains("console: off");
            assertThat(get(hbd, "/api/status", ROOT).statusCode()).as("the rest of hbd goes on").isEqualTo(200);
        }
    }
}
