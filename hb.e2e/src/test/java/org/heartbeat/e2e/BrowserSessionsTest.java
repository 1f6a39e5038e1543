package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * docs/USERS.md, "In the browser", against the real bin/hbd with a client that keeps cookies as a browser does: a
 * page without a session goes to the login page, a wrong password is refused, the right one begins a session (cookie
 * HttpOnly, SameSite=Strict) that opens the pages and the API, a state-changing request with the cookie needs the
 * CSRF token and this server's Origin, logout ends the session, HTTP Basic needs no token, and the security headers
 * are there. The audit log names who silenced what.
 */
class BrowserSessionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void loginSessionCsrfAndLogout(@TempDir Path dir) throws Exception {
        String hash = UsersTest.passwordHash(dir, "alice", "s3cret horse");

        try (Hbd hbd = Hbd.start(dir, "users:\n  alice:\n    password: " + hash + "\n    admin: true\n")) {
            String base = "http://127.0.0.1:" + hbd.httpPort;
            CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> live = browser.send(get(base, "/live").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(303);
            assertThat(live.headers().firstValue("Location")).contains("/login?next=%2Flive");
            securityHeaders(live.headers());

            HttpResponse<String> page = browser.send(get(base, "/login?next=%2Flive").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<form method=\"post\" action=\"login\"").doesNotContain("<script");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");

            HttpResponse<String> wrong = browser.send(login(base, "alice", "wrong horse"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("wrong user name or password");
            assertThat(wrong.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(cookies.getCookieStore().getCookies()).isEmpty();

            HttpResponse<String> in1 = browser.send(login(base, "alice", "s3cret horse"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(in1.statusCode()).isEqualTo(303);
            assertThat(in1.headers().firstValue("Location")).contains("/live");
            String setCookie = in1.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("hb_session=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                    .doesNotContain("Secure");
            assertThat(setCookie.substring("hb_session=".length(), setCookie.indexOf(';'))).hasSize(43);

            assertThat(browser.send(get(base, "/live").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> alerts = browser.send(get(base, "/api/alerts").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(alerts.statusCode()).isEqualTo(200);
            securityHeaders(alerts.headers());
            JsonNode whoami = JSON.readTree(browser.send(get(base, "/api/whoami").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(whoami.path("user").asText()).isEqualTo("alice");
            assertThat(whoami.path("admin").asBoolean()).isTrue();
            assertThat(whoami.path("users_configured").asBoolean()).isTrue();
            String csrf = whoami.path("csrf").asText();
            assertThat(csrf).hasSize(43);

            String silence = "{\"host\": \"web1\", \"duration\": \"1h\", \"reason\": \"maintenance\"}";
            assertThat(browser.send(post(base, "/api/silences", silence).header("Origin", base).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token").isEqualTo(403);
            HttpResponse<String> foreign = browser.send(post(base, "/api/silences", silence)
                    .header("Origin", "http://evil.example").header("X-CSRF-Token", csrf).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(foreign.statusCode()).as("another site").isEqualTo(403);
            assertThat(foreign.body()).startsWith("{\"status\":403,\"error\":");
            assertThat(browser.send(post(base, "/api/silences", silence).header("Origin", base)
                    .header("X-CSRF-Token", csrf).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(201);
            hbd.process.awaitLine("action=silence target=web1", Duration.ofSeconds(10));
            assertThat(hbd.log()).contains("user=alice address=127.0.0.1 action=silence target=web1");

            HttpResponse<String> out = browser.send(HttpRequest.newBuilder(URI.create(base + "/logout"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(out.headers().firstValue("Location")).contains("/login");
            assertThat(browser.send(get(base, "/live").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("logged out").isEqualTo(303);
            // the old cookie, sent by hand after the browser dropped it, opens nothing either
            String old = setCookie.substring(0, setCookie.indexOf(';'));
            assertThat(HttpClient.newHttpClient().send(get(base, "/api/alerts").header("Cookie", old).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            // a script with HTTP Basic has no ambient credential to protect: no token needed
            String basic = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret horse"
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> script = HttpClient.newHttpClient().send(post(base, "/api/silences",
                    "{\"host\": \"web2\", \"duration\": \"30m\"}").header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(script.statusCode()).isEqualTo(201);
            securityHeaders(script.headers());
            assertThat(hbd.log()).doesNotContain("s3cret", hash, csrf, old.substring("hb_session=".length()));
        }
    }

    private static void securityHeaders(HttpHeaders h) {
        assertThat(h.firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(h.firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(h.firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(h.firstValue("Strict-Transport-Security")).as("plain HTTP").isEmpty();
    }

    private static HttpRequest.Builder get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    private static HttpRequest.Builder post(String base, String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest login(String base, String user, String password) {
        String form = "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=%2Flive";
        return HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }
}
