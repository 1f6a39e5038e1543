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
    private final AccessGate gate = new AccessGate(settings(), logger(), new LoginLimiter(nanos::get));

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
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getRequestURI" -> path;
                    case "getContextPath" -> "";
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getRemoteAddr" -> "192.0.2.7";
                    case "getMethod" -> "GET";
                    default -> null;
                });
        Answer answer = new Answer();
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) a[0];
                        case "setHeader" -> answer.headers.put((String) a[0], (String) a[1]);
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
        gate.doFilter(req, resp, (rq, rs) -> passed.add(String.valueOf(((HttpServletRequest) rq).getRemoteUser())));
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
        for (String path : List.of("/api/hosts", "/api/check/web1", "/metrics", "/api/../metrics", "/%61pi/hosts",
                "/nope")) {
            Answer a = get(path, null);
            assertThat(a.status).as(path).isEqualTo(401);
            assertThat(a.headers).containsEntry("WWW-Authenticate", "Basic realm=\"hbd\"");
        }
        Answer api = get("/api/hosts", null);
        assertThat(api.body()).startsWith("{\"status\":401,\"error\":\"authentication required");
        assertThat(passed).isEmpty();

        get("/live", null);
        get("/", null);
        get("/alerts", null);
        get("/plugins/web1", null);
        get("/static/live.js", null);
        assertThat(passed).as("the dashboard's pages and their scripts stay open")
                .containsExactly("null", "null", "null", "null", "null");
        assertThat(get("/plugin", null).status).as("only those paths").isEqualTo(401);
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

    private static final class Answer {
        int status;
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
