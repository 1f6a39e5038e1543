package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The gate with a directory of one user ("alice", password "pw", token "hbt_good") and hand-made requests. */
class AccessGateTest {
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> passwordChecks = new ArrayList<>();
    private boolean enabled = true;
    private boolean metricsPublic;
    private final MutableClock clock = new MutableClock();
    private final Sessions sessions = new Sessions(clock, Sessions.DEFAULT_IDLE);
    private final List<String> audited = new ArrayList<>();
    private final AccessGate gate = new AccessGate(settings(), logger(), new LoginLimiter(nanos::get), sessions,
            new Audit(AuditTest.logger(audited)));

    {
        gate.setUsers(new UserDirectory() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public List<User> users() {
                return List.of(ALICE);
            }

            @Override
            public Optional<User> user(String name) {
                return name.equals("alice") ? Optional.of(ALICE) : Optional.empty();
            }

            @Override
            public Optional<User> owner(String host) {
                return Optional.empty();
            }

            @Override
            public Optional<User> authenticate(String name, String password) {
                passwordChecks.add(name);
                return name.equals("alice") && password.equals("pw") ? Optional.of(ALICE) : Optional.empty();
            }

            @Override
            public Optional<User> authenticateToken(String token) {
                return token.equals("hbt_good") ? Optional.of(ALICE) : Optional.empty();
            }
        });
    }

    private static final User ALICE = new User("alice", true, List.of());

    /** What reached the resource behind the gate: the remote user, or "-" for none. */
    private final List<String> passed = new ArrayList<>();

    private HttpSettings settings() {
        return (HttpSettings) Proxy.newProxyInstance(HttpSettings.class.getClassLoader(),
                new Class<?>[] {HttpSettings.class}, (p, m, a) -> m.getName().equals("metrics_public")
                        ? metricsPublic : m.getDefaultValue());
    }

    private static Logger logger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
    }

    private Answer get(String path, String authorization) throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return request("GET", path, headers, Map.of());
    }

    /** A request as a browser on this server's pages sends it: Host, and Origin on state-changing methods. */
    private Answer browser(String method, String path, String cookie, Map<String, String> params,
            String... moreHeaders) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", "hbd.example:50004");
        if (!method.equals("GET")) {
            headers.put("Origin", "http://hbd.example:50004");
        }
        if (cookie != null) {
            headers.put("Cookie", "theme=dark; " + Sessions.COOKIE + "=" + cookie);
        }
        for (int i = 0; i < moreHeaders.length; i += 2) {
            if (moreHeaders[i + 1] == null) {
                headers.remove(moreHeaders[i]);
            } else {
                headers.put(moreHeaders[i], moreHeaders[i + 1]);
            }
        }
        return request(method, path, headers, params);
    }

    private Answer request(String method, String path, Map<String, String> headers, Map<String, String> params)
            throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getRequestURI" -> path;
                    case "getContextPath" -> "";
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getHeaders" -> java.util.Collections.enumeration(headers.containsKey((String) a[0])
                            ? List.of(headers.get((String) a[0])) : List.<String>of());
                    case "getParameter" -> params.get((String) a[0]);
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getMethod" -> method;
                    case "isSecure" -> false;
                    case "setAttribute" -> attributes.put((String) a[0], a[1]);
                    case "getAttribute" -> attributes.get((String) a[0]);
                    default -> null;
                });
        Answer answer = new Answer();
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) a[0];
                        case "setHeader", "addHeader" -> answer.headers.put((String) a[0], (String) a[1]);
                        case "getOutputStream" -> {
                            return answer.stream();
                        }
                        case "getWriter" -> {
                            return new java.io.PrintWriter(answer.body, true, StandardCharsets.UTF_8);
                        }
                        case "isCommitted" -> {
                            return false;
                        }
                        default -> {
                        }
                    }
                    return null;
                });
        gate.doFilter(req, resp, (rq, rs) -> {
            HttpServletRequest r = (HttpServletRequest) rq;
            passed.add(String.valueOf(r.getRemoteUser()));
            answer.authType = r.getAuthType();
        });
        return answer;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutUsersEverythingIsOpen() throws Exception {
        enabled = false;
        get("/api/hosts", null);
        get("/metrics", null);
        assertThat(passed).containsExactly("null", "null");
    }

    @Test
    void withUsersTheApiAndMetricsNeedCredentials() throws Exception {
        for (String path : List.of("/api/hosts", "/api/check/web1", "/metrics", "/api/../metrics", "/%61pi/hosts")) {
            Answer a = get(path, null);
            assertThat(a.status).as(path).isEqualTo(401);
            assertThat(a.headers).containsEntry("WWW-Authenticate", "Basic realm=\"hbd\"");
        }
        Answer api = get("/api/hosts", null);
        assertThat(api.body()).startsWith("{\"status\":401,\"error\":\"authentication required");
        assertThat(passed).isEmpty();

    }

    @Test
    void basicAndBearerLetTheUserThrough() throws Exception {
        assertThat(get("/api/hosts", basic("alice", "pw")).status).isZero();
        assertThat(get("/api/check/web1", "Bearer hbt_good").status).isZero();
        assertThat(passed).containsExactly("alice", "alice");

        Answer wrong = get("/api/hosts", basic("alice", "nope"));
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name or password").doesNotContain("nope");
        assertThat(get("/api/hosts", "Bearer hbt_revoked").body()).contains("unknown or revoked token")
                .doesNotContain("hbt_revoked");
        assertThat(get("/api/hosts", "Digest x").status).isEqualTo(401);
        assertThat(get("/api/hosts", "Basic !!!").status).isEqualTo(401);
    }

    @Test
    void tooManyWrongPasswordsAre429BeforeAnyHashIsComputed() throws Exception {
        for (int i = 0; i < LoginLimiter.BURST; i++) {
            assertThat(get("/api/hosts", basic("alice", "guess" + i)).status).isEqualTo(401);
        }
        Answer limited = get("/api/hosts", basic("alice", "pw"));
        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.headers).containsEntry("Retry-After", String.valueOf(LoginLimiter.REFILL_SECONDS));
        assertThat(limited.body()).contains("too many failed attempts");
        assertThat(passwordChecks).as("the sixth attempt computed no hash").hasSize(LoginLimiter.BURST);

        nanos.addAndGet(LoginLimiter.REFILL_SECONDS * 1_000_000_000L);
        assertThat(get("/api/hosts", basic("alice", "pw")).status).isZero();
    }

    @Test
    void metricsCanBeMadePublic() throws Exception {
        metricsPublic = true;
        gate.modified(settings());
        get("/metrics", null);
        assertThat(passed).containsExactly("null");
        assertThat(get("/api/hosts", null).status).isEqualTo(401);
    }

    @Test
    void withoutADirectoryItFailsClosed() throws Exception {
        gate.setUsers(null);
        assertThat(get("/api/hosts", null).status).isEqualTo(503);
        assertThat(passed).isEmpty();
    }

    /** Logs in through the form and answers the new session's id. */
    private String login() throws Exception {
        Answer a = browser("POST", "/login", null, Map.of("user", "alice", "password", "pw", "next", "/alerts"));
        assertThat(a.status).isEqualTo(303);
        String cookie = a.headers.get("Set-Cookie");
        return cookie.substring(Sessions.COOKIE.length() + 1, cookie.indexOf(';'));
    }

    @Test
    void withUsersAPageWithoutASessionGoesToTheLoginPageAndTheApiAnswers401() throws Exception {
        Answer page = browser("GET", "/plugins/web1", null, Map.of());
        assertThat(page.status).isEqualTo(303);
        assertThat(page.headers).containsEntry("Location", "/login?next=%2Fplugins%2Fweb1");
        assertThat(browser("GET", "/live", null, Map.of()).headers).containsEntry("Location", "/login?next=%2Flive");
        assertThat(browser("GET", "/api/alerts", null, Map.of()).status).isEqualTo(401);
        assertThat(browser("GET", "/%61pi/alerts", null, Map.of()).status).as("judged decoded").isEqualTo(401);
        assertThat(browser("POST", "/live", null, Map.of()).status).as("only GET redirects").isEqualTo(401);
        assertThat(browser("GET", "/ws", null, Map.of(), "Upgrade", "websocket").status)
                .as("a WebSocket handshake is answered, not redirected").isEqualTo(401);
        assertThat(browser("GET", "/static/live.js", null, Map.of()).status).as("assets stay open").isZero();

        Answer form = browser("GET", "/login", null, Map.of("next", "/alerts"));
        assertThat(form.status).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"login\"")
                .contains("name=\"next\" value=\"/alerts\"").doesNotContain("<script");
        assertThat(form.headers.get("Content-Security-Policy")).contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(passed).containsExactly("null");
    }

    @Test
    void aLoginChecksThePasswordOnceAndBeginsANewSession() throws Exception {
        Answer wrong = browser("POST", "/login", "stale", Map.of("user", "alice", "password", "nope"));
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name or password").contains("value=\"alice\"")
                .doesNotContain("nope");
        assertThat(wrong.headers).doesNotContainKey("Set-Cookie");

        Answer ok = browser("POST", "/login", null, Map.of("user", "alice", "password", "pw", "next",
                "/plugins/web1"));
        assertThat(ok.status).isEqualTo(303);
        assertThat(ok.headers).containsEntry("Location", "/plugins/web1");
        assertThat(ok.headers.get("Set-Cookie")).startsWith(Sessions.COOKIE + "=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Strict").doesNotContain("Secure");
        assertThat(audited).containsExactly("user=alice address=192.0.2.7 action=login target=*");
        String id = login();
        passwordChecks.clear();

        for (int i = 0; i < 3; i++) {
            Answer page = browser("GET", "/live", id, Map.of());
            assertThat(page.status).isZero();
            assertThat(page.authType).isEqualTo("FORM");
        }
        assertThat(passed).containsExactly("alice", "alice", "alice");
        assertThat(passwordChecks).as("the session, not the password, authenticates").isEmpty();
    }

    @Test
    void aLoginNeverKeepsTheSessionIdTheBrowserHad() throws Exception {
        String before = login();
        Answer again = browser("POST", "/login", before, Map.of("user", "alice", "password", "pw"));
        String after = again.headers.get("Set-Cookie");
        assertThat(after).doesNotContain(before);
        assertThat(again.headers).containsEntry("Location", "/live");
        assertThat(browser("GET", "/live", before, Map.of()).status).as("the old one ended").isEqualTo(303);
        assertThat(browser("GET", "/api/hosts", before, Map.of()).headers)
                .as("no password dialog for a stale session").doesNotContainKey("WWW-Authenticate");
    }

    @Test
    void loginsAreLimitedBeforeAnyHashAndMustComeFromThisServer() throws Exception {
        Answer foreign = browser("POST", "/login", null, Map.of("user", "alice", "password", "pw"), "Origin",
                "http://evil.example");
        assertThat(foreign.status).isEqualTo(403);
        Answer noOrigin = browser("POST", "/login", null, Map.of("user", "alice", "password", "pw"), "Origin", null);
        assertThat(noOrigin.status).isEqualTo(403);
        assertThat(passwordChecks).isEmpty();

        for (int i = 0; i < LoginLimiter.BURST; i++) {
            browser("POST", "/login", null, Map.of("user", "alice", "password", "guess" + i));
        }
        Answer limited = browser("POST", "/login", null, Map.of("user", "alice", "password", "pw"));
        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.headers).containsKey("Retry-After").doesNotContainKey("Set-Cookie");
        assertThat(passwordChecks).hasSize(LoginLimiter.BURST);
    }

    @Test
    void aStateChangingRequestWithTheCookieNeedsTheTokenAndTheSameOrigin() throws Exception {
        String id = login();
        String csrf = sessions.find(id).orElseThrow().csrf();

        Answer none = browser("POST", "/api/silences", id, Map.of());
        assertThat(none.status).isEqualTo(403);
        assertThat(none.body()).startsWith("{\"status\":403,\"error\":\"missing or wrong X-CSRF-Token");
        assertThat(browser("DELETE", "/api/silences/s1", id, Map.of(), "X-CSRF-Token", "forged").status)
                .isEqualTo(403);
        assertThat(browser("POST", "/api/silences", id, Map.of(), "X-CSRF-Token", csrf, "Origin",
                "http://evil.example").status).isEqualTo(403);
        assertThat(browser("POST", "/api/silences", id, Map.of(), "X-CSRF-Token", csrf, "Origin", null).status)
                .as("neither Origin nor Referer").isEqualTo(403);
        assertThat(passed).isEmpty();

        assertThat(browser("POST", "/api/silences", id, Map.of(), "X-CSRF-Token", csrf).status).isZero();
        assertThat(browser("PUT", "/api/x", id, Map.of(), "X-CSRF-Token", csrf, "Origin", null, "Referer",
                "http://hbd.example:50004/alerts").status).isZero();
        assertThat(browser("GET", "/api/alerts", id, Map.of(), "X-CSRF-Token", null).status).isZero();
        assertThat(passed).containsExactly("alice", "alice", "alice");
    }

    @Test
    void theConsolesFormsNeedTheSameOriginButNotTheToken() throws Exception {
        String id = login();
        assertThat(browser("POST", "/system/console/bundles", id, Map.of()).status).isZero();
        assertThat(browser("POST", "/system/console/bundles/12", id, Map.of(), "Origin", "http://evil.example")
                .status).isEqualTo(403);
        assertThat(browser("POST", "/system/console/bundles", id, Map.of(), "Origin", null).status)
                .as("neither Origin nor Referer").isEqualTo(403);
        assertThat(browser("POST", "/system/console/../api/silences", id, Map.of()).status)
                .as("a dot segment is not the console's").isEqualTo(403);
        assertThat(browser("POST", "/system/console%2F..%2Fapi/silences", id, Map.of()).status).isEqualTo(403);
        assertThat(browser("POST", "/system/consoleX", id, Map.of()).status).isEqualTo(403);
        assertThat(passed).containsExactly("alice");
    }

    @Test
    void basicAndBearerNeedNoTokenButAForeignOriginIsRefusedWhatever() throws Exception {
        Map<String, String> basic = new HashMap<>(Map.of("Authorization", basic("alice", "pw")));
        assertThat(request("POST", "/api/silences", basic, Map.of()).status).isZero();
        basic.put("Host", "hbd.example:50004");
        basic.put("Origin", "http://evil.example");
        assertThat(request("POST", "/api/silences", basic, Map.of()).status).isEqualTo(403);

        enabled = false;
        Map<String, String> anonymous = Map.of("Host", "hbd.example:50004", "Origin", "http://evil.example");
        assertThat(request("POST", "/api/silences", anonymous, Map.of()).status)
                .as("without users too").isEqualTo(403);
        assertThat(request("GET", "/api/alerts", anonymous, Map.of()).status).isZero();
        assertThat(passed).containsExactly("alice", "null");
    }

    @Test
    void logoutEndsTheSessionWithItsToken() throws Exception {
        String id = login();
        String csrf = sessions.find(id).orElseThrow().csrf();
        assertThat(browser("GET", "/logout", id, Map.of()).status).isEqualTo(405);
        assertThat(browser("POST", "/logout", id, Map.of()).status).isEqualTo(403);
        assertThat(browser("POST", "/logout", id, Map.of("csrf", csrf), "Origin", "http://evil.example").status)
                .isEqualTo(403);
        assertThat(sessions.find(id)).isPresent();
        audited.clear();

        Answer out = browser("POST", "/logout", id, Map.of("csrf", csrf));
        assertThat(out.status).isEqualTo(303);
        assertThat(out.headers).containsEntry("Location", "/login");
        assertThat(out.headers.get("Set-Cookie")).startsWith(Sessions.COOKIE + "=;").contains("Max-Age=0");
        assertThat(sessions.find(id)).isEmpty();
        assertThat(audited).containsExactly("user=alice address=192.0.2.7 action=logout target=*");
        assertThat(browser("GET", "/api/alerts", id, Map.of()).status).isEqualTo(401);
    }

    @Test
    void aSessionEndsWhenIdleOrWhenItsUserIsRemoved() throws Exception {
        String id = login();
        clock.advance(Sessions.DEFAULT_IDLE);
        assertThat(browser("GET", "/live", id, Map.of()).status).isEqualTo(303);

        String bob = sessions.create("bob").id();
        assertThat(browser("GET", "/live", bob, Map.of()).status).as("bob is not in users:").isEqualTo(303);
        assertThat(sessions.find(bob)).isEmpty();
        assertThat(passed).isEmpty();
    }

    @Test
    void asTheSessionDirectoryItNamesTheUserOfALiveSessionOnly() throws Exception {
        String id = login();
        assertThat(gate.user(id)).contains(ALICE);
        assertThat(gate.user(null)).isEmpty();
        assertThat(gate.user("forged")).isEmpty();
        clock.advance(Sessions.DEFAULT_IDLE.minusSeconds(1));
        assertThat(gate.user(id)).as("a lookup counts as use").contains(ALICE);
        clock.advance(Sessions.DEFAULT_IDLE.minusSeconds(1));
        browser("GET", "/live", id, Map.of());
        assertThat(passed).as("the session still lets the page through").containsExactly("alice");
        assertThat(browser("POST", "/logout", id, Map.of("csrf", sessions.find(id).orElseThrow().csrf())).status)
                .isEqualTo(303);
        assertThat(gate.user(id)).as("logged out").isEmpty();

        String bob = sessions.create("bob").id();
        assertThat(gate.user(bob)).as("bob is not in users:").isEmpty();
        assertThat(sessions.find(bob)).as("and his session is gone").isEmpty();

        String again = login();
        enabled = false;
        assertThat(gate.user(again)).as("no users: no sessions either").isEmpty();
    }

    @Test
    void withoutUsersTheLoginPageSaysTheDashboardIsOpenAndReadOnly() throws Exception {
        enabled = false;
        Answer page = browser("GET", "/login", null, Map.of());
        assertThat(page.status).isEqualTo(200);
        assertThat(page.body()).contains("No users are configured").contains("read-only").doesNotContain("<form");
        assertThat(browser("POST", "/login", null, Map.of("user", "alice", "password", "pw")).status)
                .isEqualTo(404);
        browser("GET", "/live", null, Map.of());
        assertThat(passed).containsExactly("null");
    }

    private static final class Answer {
        int status;
        String authType;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        ServletOutputStream stream() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
        }

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
