package org.heartbeat.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.heartbeat.server.console.internal.ConsoleGate.Decision;
import org.junit.jupiter.api.Test;

class ConsoleGateTest {
    /** A directory with an admin "root" and a user "ann"; none when {@code users} is empty. */
    static UserDirectory directory(Map<String, Boolean> users) {
        return new UserDirectory() {
            @Override
            public boolean enabled() {
                return !users.isEmpty();
            }

            @Override
            public List<User> users() {
                return users.entrySet().stream().map(e -> new User(e.getKey(), e.getValue(), List.of())).toList();
            }

            @Override
            public Optional<User> user(String name) {
                return users.containsKey(name) ? Optional.of(new User(name, users.get(name), List.of()))
                        : Optional.empty();
            }

            @Override
            public Optional<User> owner(String host) {
                return Optional.empty();
            }

            @Override
            public Optional<User> authenticate(String name, String password) {
                return Optional.empty();
            }

            @Override
            public Optional<User> authenticateToken(String token) {
                return Optional.empty();
            }
        };
    }

    private static final UserDirectory USERS = directory(Map.of("root", true, "ann", false));
    private static final UserDirectory NONE = directory(Map.of());
    private static final String BUNDLES = "/system/console/bundles";

    @Test
    void offIsNotFoundForEveryone() {
        Decision d = ConsoleGate.decide(ConsoleMode.OFF, USERS, "127.0.0.1", "root", BUNDLES);
        assertThat(d.allowed()).isFalse();
        assertThat(d.status()).isEqualTo(404);
        assertThat(d.message()).contains("console: off");
    }

    @Test
    void adminsOnlyOnceUsersAreConfigured() {
        assertThat(ConsoleGate.decide(ConsoleMode.ON, USERS, "192.0.2.7", "root", BUNDLES).user()).isEqualTo("root");
        Decision ann = ConsoleGate.decide(ConsoleMode.ON, USERS, "192.0.2.7", "ann", BUNDLES);
        assertThat(ann.status()).isEqualTo(403);
        assertThat(ann.message()).contains("admins").contains("ann");
        assertThat(ConsoleGate.decide(ConsoleMode.ON, USERS, "127.0.0.1", null, BUNDLES).status()).isEqualTo(401);
        assertThat(ConsoleGate.decide(ConsoleMode.ON, USERS, "127.0.0.1", "gone", BUNDLES).status())
                .isEqualTo(403);
    }

    @Test
    void localhostAdmitsOnlyLoopbackConnections() {
        assertThat(ConsoleGate.decide(ConsoleMode.LOCALHOST, USERS, "127.0.0.1", "root", BUNDLES).allowed())
                .isTrue();
        assertThat(ConsoleGate.decide(ConsoleMode.LOCALHOST, USERS, "0:0:0:0:0:0:0:1", "root", BUNDLES).allowed())
                .isTrue();
        Decision remote = ConsoleGate.decide(ConsoleMode.LOCALHOST, USERS, "192.0.2.7", "root", BUNDLES);
        assertThat(remote.status()).isEqualTo(403);
        assertThat(remote.message()).contains("only connections from this machine");
    }

    @Test
    void withoutUsersOnlyFromThisMachineEvenWhenOn() {
        assertThat(ConsoleGate.decide(ConsoleMode.ON, NONE, "127.0.0.1", null, BUNDLES).user())
                .isEqualTo(ConsoleGate.LOCAL);
        Decision remote = ConsoleGate.decide(ConsoleMode.ON, NONE, "192.0.2.7", null, BUNDLES);
        assertThat(remote.status()).isEqualTo(403);
        assertThat(remote.message()).contains("without users");
    }

    @Test
    void withoutTheDirectoryItFailsClosed() {
        assertThat(ConsoleGate.decide(ConsoleMode.ON, null, "127.0.0.1", "root", BUNDLES).status()).isEqualTo(503);
    }

    @Test
    void statusPagesAreRefusedEvenToAdmins() {
        for (String uri : List.of("/system/console/status-Configurations", "/system/console/status",
                "/system/console/%73tatus-Framework%20Properties", "/system/console//status-x",
                "/system/console/config")) {
            assertThat(ConsoleGate.decide(ConsoleMode.ON, USERS, "127.0.0.1", "root", uri).status())
                    .as(uri).isEqualTo(403);
        }
        assertThat(ConsoleGate.decide(ConsoleMode.ON, USERS, "127.0.0.1", "root", "/system/console/configMgr")
                .allowed()).isTrue();
    }

    @Test
    void anAdmittedRequestGetsTheConsolesPolicyARefusedOneTheErrorShape() throws Exception {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        int[] status = {200};
        jakarta.servlet.http.HttpServletResponse resp = (jakarta.servlet.http.HttpServletResponse)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {jakarta.servlet.http.HttpServletResponse.class}, (p, m, a) -> {
                            switch (m.getName()) {
                                case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                                case "setStatus" -> status[0] = (Integer) a[0];
                                case "getOutputStream" -> {
                                    return new jakarta.servlet.ServletOutputStream() {
                                        @Override
                                        public boolean isReady() {
                                            return true;
                                        }

                                        @Override
                                        public void setWriteListener(jakarta.servlet.WriteListener l) {
                                        }

                                        @Override
                                        public void write(int b) {
                                            body.write(b);
                                        }
                                    };
                                }
                                default -> {
                                }
                            }
                            return null;
                        });
        java.util.function.Function<String, jakarta.servlet.http.HttpServletRequest> request = user ->
                (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                        (p, m, a) -> switch (m.getName()) {
                            case "getRemoteAddr" -> "127.0.0.1";
                            case "getRemoteUser" -> user;
                            case "getRequestURI" -> BUNDLES;
                            default -> null;
                        });
        ConsoleGate gate = new ConsoleGate(ConsoleMode.LOCALHOST, USERS);
        assertThat(gate.authenticate(request.apply("root"), resp)).isEqualTo("root");
        assertThat(headers.get("Content-Security-Policy")).isEqualTo(ConsoleGate.POLICY).contains("'unsafe-inline'")
                .doesNotContain("*");
        headers.clear();
        assertThat(gate.authenticate(request.apply("ann"), resp)).isNull();
        assertThat(status[0]).isEqualTo(403);
        assertThat(headers).doesNotContainKey("Content-Security-Policy");
        assertThat(body.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"status\": 403, \"error\": \"the console is for admins; ann is not one (admin: true in "
                        + "users:)\"}");
    }

    @Test
    void loopbackTakesOnlyLoopbackLiterals() {
        assertThat(ConsoleGate.loopback("127.0.0.1")).isTrue();
        assertThat(ConsoleGate.loopback("127.3.4.5")).isTrue();
        assertThat(ConsoleGate.loopback("::1")).isTrue();
        assertThat(ConsoleGate.loopback("[::1]")).isTrue();
        assertThat(ConsoleGate.loopback("10.0.0.1")).isFalse();
        assertThat(ConsoleGate.loopback("localhost")).isFalse();
        assertThat(ConsoleGate.loopback("")).isFalse();
        assertThat(ConsoleGate.loopback(null)).isFalse();
    }

    @Test
    void modeWordsAndMistakesFailClosed() {
        assertThat(ConsoleMode.of("on")).isEqualTo(ConsoleMode.ON);
        assertThat(ConsoleMode.of(" LocalHost ")).isEqualTo(ConsoleMode.LOCALHOST);
        assertThat(ConsoleMode.of("off")).isEqualTo(ConsoleMode.OFF);
        assertThat(ConsoleMode.of("yes please")).isEqualTo(ConsoleMode.OFF);
    }

    @Test
    void secretsAreNeverListed() {
        List<String> names = new java.util.ArrayList<>(List.of(".token", ".user", "max_per_hour",
                "heartbeat.channel.name", "key", "smtp_password", "api_token", "name", "peers.key"));
        new ConsoleConfigurations().filterProperties("org.heartbeat.notify.pushover", "x", names);
        assertThat(names).containsExactly("max_per_hour", "heartbeat.channel.name", "name");
    }
}
