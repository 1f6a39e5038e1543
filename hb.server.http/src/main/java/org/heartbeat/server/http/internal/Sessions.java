package org.heartbeat.server.http.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser sessions of the main HTTP instance, in memory only (a restart of {@code hbd} logs everyone out). A
 * session is created at each login with a new random 256-bit id (never one the browser sent before), holds the user's
 * name and a random 256-bit CSRF token, and ends at logout, after {@code session_idle_timeout} without a request, or
 * {@link #absoluteCap() at the latest} some hours after the login whatever the activity.
 *
 * <p>Used by the {@link AccessGate} on the HTTP threads; thread-safe. At most {@value #MAX_SESSIONS} sessions are
 * kept: a login beyond that first drops the expired ones, then the one idle the longest. Time comes from the given
 * clock. Neither ids nor tokens appear in {@link Session#toString()}.
 */
final class Sessions {
    static final String COOKIE = org.heartbeat.server.api.user.SessionDirectory.COOKIE;
    /** The request attribute under which the gate hands the request's {@link Session} to resources. */
    static final String ATTRIBUTE = Sessions.class.getName();
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    /** How long a session lasts at most, unless the idle timeout is longer still. */
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private volatile Duration idle;

    /** One session: who, since when, and its CSRF token. */
    static final class Session {
        private final String id;
        private final String user;
        private final String csrf;
        private final Instant created;
        private volatile Instant lastSeen;

        Session(String id, String user, String csrf, Instant created) {
            this.id = id;
            this.user = user;
            this.csrf = csrf;
            this.created = created;
            this.lastSeen = created;
        }

        String id() {
            return id;
        }

        String user() {
            return user;
        }

        String csrf() {
            return csrf;
        }

        Instant created() {
            return created;
        }

        /** Whether a token sent with a request is this session's CSRF token (in constant time). */
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() {
            return "Session[" + user + ", since " + created + "]";
        }
    }

    Sessions(Clock clock, Duration idle) {
        this.clock = clock;
        idleTimeout(idle);
    }

    /** {@code hbd reload} may change {@code session_idle_timeout}; it applies to existing sessions too. */
    void idleTimeout(Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("session_idle_timeout must be positive, not " + idle);
        }
        this.idle = idle;
    }

    Duration idleTimeout() {
        return idle;
    }

    /** The longest a session lasts: {@link #ABSOLUTE}, or the idle timeout when that is longer. */
    Duration absoluteCap() {
        Duration i = idle;
        return i.compareTo(ABSOLUTE) > 0 ? i : ABSOLUTE;
    }

    /** A new session for a user who has just proved who they are: new id, new CSRF token. */
    Session create(String user) {
        Instant now = clock.instant();
        Session s = new Session(random(), user, random(), now);
        synchronized (this) {
            if (byId.size() >= MAX_SESSIONS) {
                byId.values().removeIf(x -> expired(x, now));
                if (byId.size() >= MAX_SESSIONS) {
                    byId.values().stream().min(Comparator.comparing(x -> x.lastSeen))
                            .ifPresent(oldest -> byId.remove(oldest.id));
                }
            }
            byId.put(s.id, s);
        }
        return s;
    }

    /**
     * The live session with this id, marked as used now; empty for an unknown, ended or expired one (an expired one
     * is dropped).
     */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byId.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /** Ends a session (logout, or a login that replaces it); false when there was none. */
    boolean end(String id) {
        return id != null && byId.remove(id) != null;
    }

    /** The sessions kept, expired ones not yet dropped included. */
    int size() {
        return byId.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(idle)) || !now.isBefore(s.created.plus(absoluteCap()));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
