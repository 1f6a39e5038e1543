package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.HostCommands;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The operations added for the web release: commands, users, role checks, pages, and the OpenAPI document. */
class ApiOperationsTest {
    private static final User ALICE = new User("alice", true, List.of("ops"));
    private static final User BOB = new User("bob", false, List.of());

    private final HostDirectory hosts = Fakes.hosts(HostView.builder("web1").build(), HostView.builder("db1").build());

    /** Users alice (admin) and bob, who owns web1; or no users at all. */
    private static UserDirectory users(boolean enabled) {
        List<User> all = enabled ? List.of(ALICE, BOB) : List.of();
        return new UserDirectory() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public List<User> users() {
                return all;
            }

            @Override
            public Optional<User> user(String name) {
                return all.stream().filter(u -> u.name().equals(name)).findFirst();
            }

            @Override
            public Optional<User> owner(String host) {
                return host.equals("web1") ? user("bob") : Optional.empty();
            }

            @Override
            public Optional<User> authenticate(String name, String password) {
                throw new AssertionError("not called");
            }

            @Override
            public Optional<User> authenticateToken(String token) {
                throw new AssertionError("not called");
            }
        };
    }

    /** Validates as the core does (set-interval takes 1 to 86400) and keeps the queue. */
    private final class Commands implements HostCommands {
        final Map<String, List<PendingCommand>> queued = new HashMap<>();

        @Override
        public Optional<PendingCommand> queue(String host, String command, String argument) {
            if (command.equals(SET_INTERVAL) && !argument.matches("[1-9][0-9]{0,4}")) {
                throw new IllegalArgumentException("set-interval takes a whole number of seconds, got \"" + argument
                        + "\"");
            }
            if (hosts.host(host).isEmpty()) {
                return Optional.empty();
            }
            List<PendingCommand> list = queued.computeIfAbsent(host, h -> new ArrayList<>());
            PendingCommand c = new PendingCommand(list.size() + 1, command, argument);
            list.add(c);
            return Optional.of(c);
        }

        @Override
        public List<PendingCommand> pending(String host) {
            return queued.getOrDefault(host, List.of());
        }

        final List<String> forgotten = new ArrayList<>();

        /** db1 is in the configuration file's hosts:, as the core would refuse it. */
        @Override
        public boolean forget(String host, String by) {
            if (host.equals("db1")) {
                throw new IllegalStateException("db1 is in the configuration file's hosts:; remove it there");
            }
            forgotten.add(host + " by " + by);
            return hosts.host(host).isPresent();
        }
    }

    /** Keeps overrides in a map; refuses the keys the core would not know. */
    private static final class Overrides implements org.heartbeat.server.api.HostOverrides {
        final Map<String, Map<String, Object>> kept = new java.util.TreeMap<>();

        @Override
        public Map<String, Object> overrides(String host) {
            return kept.getOrDefault(host, Map.of());
        }

        @Override
        public Map<String, Map<String, Object>> all() {
            return kept;
        }

        @Override
        public Map<String, Object> set(String host, Map<String, ?> settings) {
            for (String k : settings.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException(k + ": not a setting that can be changed at run time");
                }
            }
            kept.put(host, Map.copyOf(settings));
            return kept.get(host);
        }

        @Override
        public boolean clear(String host) {
            return kept.remove(host) != null;
        }
    }

    @Test
    void hostsAreForgottenByOwnersAndAdminsButNotWhenConfigured() {
        Commands commands = new Commands();
        Overrides overrides = new Overrides();
        overrides.set("web1", Map.of("interval", 5));
        HostOperations ops = new HostOperations(hosts, commands, overrides, new Access(users(true)));

        assertThat(ops.forget("bob", "db1")).isEqualTo(Answer.error(403, "you may forget only hosts you own"));
        overrides.set("db1", Map.of("grace", 1));
        assertThat(ops.forget("alice", "db1")).isEqualTo(Answer.error(409,
                "db1 is in the configuration file's hosts:; remove it there"));
        assertThat(overrides.overrides("db1")).as("a refused forget keeps the overrides").isNotEmpty();
        assertThat(ops.forget("alice", "web9").status()).isEqualTo(404);
        assertThat(ops.forget("bob", "web1").status()).isEqualTo(204);
        assertThat(commands.forgotten).containsExactly("web1 by bob");
        assertThat(overrides.overrides("web1")).as("forgetting drops the overrides").isEmpty();
    }

    @Test
    void settingsOverridesArePutShownAndRemoved() throws Exception {
        Overrides overrides = new Overrides();
        HostOperations ops = new HostOperations(hosts, new Commands(), overrides, new Access(users(true)));

        Answer put = ops.put("bob", "web1", json("{\"interval\": 5, \"owner\": \"bob\"}"));
        assertThat(put.status()).isEqualTo(200);
        assertThat(ops.settings("web1").body()).isEqualTo(Map.of("interval", 5, "owner", "bob"));
        assertThat(ops.put("bob", "db1", json("{\"interval\": 5}")).status()).isEqualTo(403);
        assertThat(ops.put("alice", "web9", json("{\"interval\": 5}")).status()).isEqualTo(404);
        assertThatThrownBy(() -> ops.put("alice", "web1", json("{\"key\": \"x\"}")))
                .hasMessageStartingWith("key: not a setting");
        assertThat(ops.clear("bob", "web1").status()).isEqualTo(204);
        assertThat(ops.settings("web1").body()).isEqualTo(Map.of());
    }

    private static JsonNode json(String text) throws Exception {
        return Api.JSON.readTree(text);
    }

    @Test
    void commandsAreQueuedByOwnersAndAdminsAndListed() throws Exception {
        Commands commands = new Commands();
        CommandOperations ops = new CommandOperations(hosts, commands, new Access(users(true)));

        Answer queued = ops.queue("bob", "web1", json("{\"command\": \"set-interval\", \"argument\": 30}"));
        assertThat(queued.status()).isEqualTo(201);
        assertThat(queued.body()).isEqualTo(new Views.Command(1, "set-interval", "30"));
        assertThat(ops.queue("alice", "web1", json("{\"command\": \"ping\"}")).status()).isEqualTo(201);
        assertThat(ops.pending("web1").body()).isEqualTo(List.of(new Views.Command(1, "set-interval", "30"),
                new Views.Command(2, "ping", "")));

        assertThat(ops.queue("bob", "db1", json("{\"command\": \"ping\"}")))
                .isEqualTo(Answer.error(403, "you may send commands only to hosts you own"));
        assertThat(ops.queue("bob", "web9", json("{\"command\": \"ping\"}")))
                .isEqualTo(Answer.error(404, "no host named \"web9\""));
        assertThat(ops.pending("web9").status()).isEqualTo(404);
        assertThat(commands.pending("db1")).isEmpty();
    }

    @Test
    void refusedCommandsSayWhy() {
        CommandOperations ops = new CommandOperations(hosts, new Commands(), new Access(users(false)));

        assertThatThrownBy(() -> ops.queue(null, "web1", json("{\"command\": \"set-interval\", \"argument\": \"0\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("set-interval takes a whole number of "
                        + "seconds, got \"0\"");
        assertThatThrownBy(() -> ops.queue(null, "web1", json("{}"))).hasMessageStartingWith("command: required");
        assertThatThrownBy(() -> ops.queue(null, "web1", json("{\"command\": 7}")))
                .hasMessage("command: expected a string");
    }

    @Test
    void withoutUsersTheApiStaysOpen() {
        Access open = new Access(users(false));
        assertThat(open.admin(null)).isTrue();
        assertThat(open.mayAct(null, "db1")).isTrue();
        assertThat(Access.actor(null)).isEqualTo("anonymous");

        Access closed = new Access(users(true));
        assertThat(closed.admin(null)).isFalse();
        assertThat(closed.mayAct("bob", "web1")).isTrue();
        assertThat(closed.mayAct("bob", "db1")).isFalse();
        assertThat(closed.mayAct("carol", "web1")).as("an unknown user").isFalse();
    }

    @Test
    void usersAreListedToAdminsOnlyWithoutSecrets() throws Exception {
        UsersResource resource = new UsersResource(users(true));

        Answer list = resource.list("alice");
        assertThat(Api.JSON.writeValueAsString(list.body())).isEqualTo("[{\"name\":\"alice\",\"admin\":true,"
                + "\"channels\":[\"ops\"]},{\"name\":\"bob\",\"admin\":false,\"channels\":[]}]");
        assertThat(resource.list("bob")).isEqualTo(Answer.error(403, "the list of users is for admins"));
        assertThat(new UsersResource(users(false)).list(null).body()).isEqualTo(List.of());
    }

    @Test
    void pagesByKeyEndWithoutANextLink() {
        List<String> names = List.of("a", "b", "c", "d", "e");

        Paging.Page<String> first = Paging.after(names, s -> s, null, 2);
        assertThat(first.items()).containsExactly("a", "b");
        assertThat(first.next()).contains("b");
        Paging.Page<String> last = Paging.after(names, s -> s, "c", 2);
        assertThat(last.items()).containsExactly("d", "e");
        assertThat(last.next()).isEmpty();
        assertThat(Paging.after(names, s -> s, "bb", 10).items()).as("a key that is gone").containsExactly("c", "d",
                "e");
        assertThat(Paging.after(names, s -> s, "z", 10).items()).isEmpty();
    }

    @Test
    void pagesByOffsetKnowWhetherMoreFollow() {
        List<Integer> fetched = List.of(10, 9, 8, 7, 6);

        Paging.Page<Integer> middle = Paging.offset(fetched, 2, 2, true);
        assertThat(middle.items()).containsExactly(8, 7);
        assertThat(middle.next()).contains("4");
        assertThat(Paging.offset(fetched, 2, 3, false).next()).isEmpty();
        assertThat(Paging.offset(fetched, 9, 3, false).items()).isEmpty();
    }

    @Test
    void theOpenApiDocumentListsEveryRouteWithStrictSchemas() throws Exception {
        JsonNode doc = Api.JSON.readTree(OpenApiResource.document());
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/hosts", "/api/hosts/{host}/commands", "/api/users", "/api/status",
                "/api/alerts", "/api/outbox", "/api/channels", "/api/notify", "/api/openapi.json");
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("components").path("schemas").fields(); it
                .hasNext();) {
            Map.Entry<String, JsonNode> schema = it.next();
            if (!schema.getKey().endsWith("Request")) {
                assertThat(schema.getValue().has("additionalProperties")).as(schema.getKey()).isTrue();
            }
        }
    }
}
