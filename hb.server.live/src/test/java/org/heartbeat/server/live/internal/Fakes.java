package org.heartbeat.server.live.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.alert.Acknowledgement;
import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.AlertRecord;
import org.heartbeat.server.api.alert.Alerts;
import org.heartbeat.server.api.alert.Silence;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.log.Logger;

/** Stand-ins for the server API, holding what a test puts in. */
final class Fakes {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private Fakes() {
    }

    static HostView host(String name, HostStatus status, long heartbeats, String owner) {
        return HostView.builder(name).status(status).interval(Duration.ofSeconds(10)).grace(Duration.ofSeconds(5))
                .lastSeen(T0.plusSeconds(heartbeats)).heartbeats(heartbeats)
                .rttHistory(List.of(Duration.ofMillis(2))).owner(owner).build();
    }

    static final class Directory implements HostDirectory {
        final List<HostView> hosts = new CopyOnWriteArrayList<>();

        void put(HostView h) {
            hosts.removeIf(x -> x.name().equals(h.name()));
            hosts.add(h);
        }

        @Override
        public List<HostView> hosts() {
            return List.copyOf(hosts);
        }

        @Override
        public Optional<HostView> host(String name) {
            return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
        }

        @Override
        public int size() {
            return hosts.size();
        }

        @Override
        public Map<HostStatus, Integer> counts() {
            Map<HostStatus, Integer> m = new EnumMap<>(HostStatus.class);
            hosts.forEach(h -> m.merge(h.status(), 1, Integer::sum));
            return m;
        }
    }

    record FakeAlert(String id, String host, Kind kind, String subject, Severity severity, Instant since,
            Optional<Double> value, Optional<Double> threshold, String message,
            Optional<Acknowledgement> acknowledgement, boolean silenced, boolean flapping,
            Optional<String> heldBack, Optional<Instant> lastNotified) implements Alert {

        static FakeAlert overdue(String id, String host) {
            return new FakeAlert(id, host, Kind.OVERDUE, "overdue", Severity.CRITICAL, T0, Optional.empty(),
                    Optional.empty(), host + " is overdue", Optional.empty(), false, false, Optional.empty(),
                    Optional.empty());
        }

        FakeAlert acknowledged(String user) {
            return new FakeAlert(id, host, kind, subject, severity, since, value, threshold, message,
                    Optional.of(new Acknowledgement(user, T0.plusSeconds(60), "on it")), silenced, flapping,
                    heldBack, lastNotified);
        }
    }

    static final class FakeAlerts implements Alerts {
        final List<Alert> active = new CopyOnWriteArrayList<>();

        @Override
        public List<Alert> active() {
            return List.copyOf(active);
        }

        @Override
        public Optional<Alert> get(String id) {
            return active.stream().filter(a -> a.id().equals(id)).findFirst();
        }

        @Override
        public List<Alert> acknowledge(String host, String alertId, String user, String comment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Silence silence(String host, Duration length, String user, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean unsilence(String silenceId, String user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Silence> silences() {
            return List.of();
        }

        @Override
        public List<AlertRecord> history(String host, int limit) {
            return List.of();
        }
    }

    /** Users with passwords and tokens in the clear, as a test needs them; hosts owned as the map says. */
    static class Users implements UserDirectory {
        final List<User> users = new ArrayList<>();
        final Map<String, String> passwords;
        final Map<String, String> tokens;
        final Map<String, String> owners;

        Users(List<User> users, Map<String, String> passwords, Map<String, String> tokens, Map<String, String> owners) {
            this.users.addAll(users);
            this.passwords = passwords;
            this.tokens = tokens;
            this.owners = owners;
        }

        @Override
        public boolean enabled() {
            return !users.isEmpty();
        }

        @Override
        public List<User> users() {
            return List.copyOf(users);
        }

        @Override
        public Optional<User> user(String name) {
            return users.stream().filter(u -> u.name().equals(name)).findFirst();
        }

        @Override
        public Optional<User> owner(String host) {
            return Optional.ofNullable(owners.get(host)).flatMap(this::user);
        }

        @Override
        public Optional<User> authenticate(String name, String password) {
            return password.equals(passwords.get(name)) ? user(name) : Optional.empty();
        }

        @Override
        public Optional<User> authenticateToken(String token) {
            return Optional.ofNullable(tokens.get(token)).flatMap(this::user);
        }
    }

    /** A Logger that keeps the warnings it is given. */
    static Logger logger(List<String> warnings) {
        return (Logger) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn") && args != null) {
                        warnings.add(String.valueOf(args[0]));
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }
}
