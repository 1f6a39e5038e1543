package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * As soon as {@code users:} has a user ({@link UserDirectory#enabled()}), every request on the main HTTP instance
 * needs HTTP Basic with a user's password or {@code Authorization: Bearer TOKEN} ({@code hbd token create}); the
 * only exceptions are the dashboard's pages ({@code /live}, {@code /alerts}, {@code /plugins/HOST}; they hold no data,
 * their scripts read it from the API), their scripts and styles under {@code /static/}, {@code /} (which redirects to
 * {@code /live}), and {@code /metrics} when {@code metrics_public} is set. Anything else gets 401 with {@code WWW-Authenticate: Basic realm="hbd"} and
 * the API's error body. Attempts are limited per client address and user name ({@link LoginLimiter}) before any hash
 * is computed: past the limit, 429 with {@code Retry-After}. Without users everything stays open, as before.
 *
 * <p>A whiteboard preprocessor, so it runs before a servlet is chosen and no resource can be reached around it; it
 * runs after the {@link StartingGate} and before {@link DotSegments} (service rankings 100, 50, 0). Requests it lets
 * through carry the user as {@link HttpServletRequest#getRemoteUser()}. Without a user directory (it comes from
 * {@code hbd}'s core) it answers 503: it fails closed. docs/USERS.md.
 */
@Component(service = Preprocessor.class, property = "service.ranking:Integer=50", configurationPid = HttpSettings.PID)
@HttpWhiteboardTarget(Api.TARGET)
public final class AccessGate implements Preprocessor {
    static final String CHALLENGE = "Basic realm=\"hbd\"";
    /**
     * Paths that stay open with users: the dashboard's pages, which hold no data (their scripts ask the API, which
     * answers 401 without credentials), until sessions cover them in a coming release.
     */
    private static final Set<String> OPEN = Set.of("/", "/live", "/alerts");
    /** Prefixes of paths that stay open: a host's page, and the pages' scripts, styles and uPlot. */
    private static final List<String> OPEN_PREFIXES = List.of("/plugins/", "/static/");

    private final LoginLimiter limiter;
    private final Logger log;
    private volatile boolean metricsPublic;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile UserDirectory users;

    @Activate
    public AccessGate(HttpSettings settings, @Reference(service = LoggerFactory.class) Logger log) {
        this(settings, log, new LoginLimiter(System::nanoTime));
    }

    AccessGate(HttpSettings settings, Logger log, LoginLimiter limiter) {
        this.limiter = limiter;
        this.log = log;
        modified(settings);
    }

    /** For tests, and for DS when the dynamic reference changes. */
    void setUsers(UserDirectory users) {
        this.users = users;
    }

    /** {@code hbd reload} may change {@code metrics_public}. */
    @Modified
    void modified(HttpSettings settings) {
        metricsPublic = settings.metrics_public();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (OPEN.contains(path) || OPEN_PREFIXES.stream().anyMatch(path::startsWith)
                || metricsPublic && path.equals("/metrics")) {
            chain.doFilter(request, response);
            return;
        }
        UserDirectory directory = users;
        if (directory == null) {
            Pages.error(resp, path, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "hbd's user directory is not available; try again in a second", 1);
            return;
        }
        if (!directory.enabled()) {
            chain.doFilter(request, response);
            return;
        }
        String header = req.getHeader("Authorization");
        if (header == null) {
            refuse(resp, path, "authentication required: HTTP Basic with a user of users:, or Authorization: Bearer "
                    + "TOKEN (hbd token create); see docs/USERS.md");
            return;
        }
        String address = req.getRemoteAddr();
        Credentials c = Credentials.parse(header);
        if (c == null) {
            refuse(resp, path, "the Authorization header is neither Basic USER:PASSWORD (base64) nor Bearer TOKEN");
            return;
        }
        int wait = limiter.acquire(address, c.user());
        if (wait > 0) {
            // debug only: one line per refused request would let a guesser flood the log
            log.debug("authentication from {} refused for {} s after too many failures{}", address, wait,
                    c.user() == null ? "" : " (user " + c.user() + ")");
            Pages.error(resp, path, 429, "too many failed attempts; try again in " + wait + " s", wait);
            return;
        }
        Optional<User> user = c.user() == null ? directory.authenticateToken(c.secret())
                : directory.authenticate(c.user(), c.secret());
        if (user.isEmpty()) {
            log.info("authentication failed from {} ({})", address, c.user() == null ? "token"
                    : "user " + c.user());
            refuse(resp, path, c.user() == null ? "unknown or revoked token" : "wrong user name or password");
            return;
        }
        limiter.release(address, c.user());
        String name = user.get().name();
        String type = c.user() == null ? "Bearer" : HttpServletRequest.BASIC_AUTH;
        chain.doFilter(new HttpServletRequestWrapper(req) {
            @Override
            public String getRemoteUser() {
                return name;
            }

            @Override
            public String getAuthType() {
                return type;
            }
        }, response);
    }

    private static void refuse(HttpServletResponse resp, String path, String message) throws IOException {
        Pages.error(resp, path, HttpServletResponse.SC_UNAUTHORIZED, message, 0, CHALLENGE);
    }

    /**
     * What an Authorization header holds: a user name and password (Basic), or a token (Bearer, user null).
     * {@link #toString()} leaves the secret out.
     */
    record Credentials(String user, String secret) {
        static Credentials parse(String header) {
            int space = header.indexOf(' ');
            if (space < 0) {
                return null;
            }
            String scheme = header.substring(0, space);
            String value = header.substring(space + 1).strip();
            if (scheme.equalsIgnoreCase("Bearer")) {
                return value.isEmpty() ? null : new Credentials(null, value);
            }
            if (!scheme.equalsIgnoreCase("Basic")) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "Credentials[" + (user == null ? "token" : user) + "]";
        }
    }
}
