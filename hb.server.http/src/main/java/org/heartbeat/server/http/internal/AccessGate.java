package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.heartbeat.server.api.user.SessionDirectory;
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
 * needs a browser session (cookie {@value Sessions#COOKIE}, from the login page), HTTP Basic with a user's password,
 * or {@code Authorization: Bearer TOKEN} ({@code hbd token create}); the only exceptions are the login page, static
 * assets ({@code /static/}, {@code /webjars/}, {@code /favicon.ico}), and {@code /metrics} when
 * {@code metrics_public} is set. A page requested without any of them ({@code GET} outside {@code /api/}) is
 * redirected (303) to {@code /login?next=...}; anything else gets 401 with {@code WWW-Authenticate: Basic
 * realm="hbd"} (left out when the request carries a stale session cookie, so a browser shows no password dialog) and
 * the API's error body. Without users everything stays open, as before.
 *
 * <p>It also answers {@code /login} (the page, and the form: the password is checked once, then a new session
 * begins) and {@code /logout} itself. Password attempts, by form or Basic, are limited per client address and user
 * name ({@link LoginLimiter}) before any hash is computed: past the limit, 429 with {@code Retry-After}. A
 * state-changing request (not GET, HEAD, OPTIONS, TRACE) authenticated by the session cookie must carry the
 * session's CSRF token ({@value Csrf#HEADER}) and come from this server's own pages ({@code Origin}, else
 * {@code Referer}, names the {@code Host}); under {@code /system/console}, whose forms are the Felix Web Console's,
 * the same-origin check alone applies; any state-changing request whose {@code Origin} is another site's is
 * refused, whatever its credentials. Refusals are 403 with the error shape. Logins and logouts go to the
 * {@link Audit} log.
 *
 * <p>A whiteboard preprocessor, so it runs before a servlet is chosen and no resource can be reached around it; it
 * runs after the {@link SecurityHeaders} and the {@link StartingGate} and before {@link DotSegments} (service rankings
 * 200, 100, 50, 0). Requests it lets through carry the user as {@link HttpServletRequest#getRemoteUser()}, and the
 * {@link Sessions.Session} under {@link Sessions#ATTRIBUTE} when a session authenticated them. Without a user
 * directory (it comes from {@code hbd}'s core) it answers 503: it fails closed. docs/USERS.md.
 *
 * <p>It is also the {@link SessionDirectory}, so that the live updates on {@code ws_port} recognise the sessions
 * begun here.
 */
@Component(service = {Preprocessor.class, SessionDirectory.class}, property = "service.ranking:Integer=50",
        configurationPid = HttpSettings.PID)
@HttpWhiteboardTarget(Api.TARGET)
public final class AccessGate implements Preprocessor, SessionDirectory {
    static final String CHALLENGE = "Basic realm=\"hbd\"";
    /** The runtime console's root (hb.server.console). */
    static final String CONSOLE = "/system/console";
    /** Static assets of the pages: open with users too, they hold nothing about hosts. */
    private static final List<String> ASSETS = List.of("/static/", "/webjars/");
    private static final Set<String> OPEN = Set.of("/favicon.ico", "/robots.txt");

    private final LoginLimiter limiter;
    private final Sessions sessions;
    private final Audit audit;
    private final Logger log;
    private volatile boolean metricsPublic;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile UserDirectory users;

    @Activate
    public AccessGate(HttpSettings settings, @Reference(service = LoggerFactory.class) Logger log,
            @Reference Audit audit) {
        this(settings, log, new LoginLimiter(System::nanoTime), new Sessions(Clock.systemUTC(), idle(settings)),
                audit);
    }

    AccessGate(HttpSettings settings, Logger log, LoginLimiter limiter, Sessions sessions, Audit audit) {
        this.limiter = limiter;
        this.sessions = sessions;
        this.audit = audit;
        this.log = log;
        modified(settings);
    }

    /** For tests, and for DS when the dynamic reference changes. */
    void setUsers(UserDirectory users) {
        this.users = users;
    }

    /** {@code hbd reload} may change {@code metrics_public} and {@code session_idle_timeout}. */
    @Modified
    void modified(HttpSettings settings) {
        metricsPublic = settings.metrics_public();
        sessions.idleTimeout(idle(settings));
    }

    private static Duration idle(HttpSettings settings) {
        long millis = Math.round(settings.session_idle_timeout() * 1000);
        return millis > 0 ? Duration.ofMillis(millis) : Sessions.DEFAULT_IDLE;
    }

    @Override
    public Optional<User> user(String id) {
        UserDirectory directory = users;
        if (directory == null || !directory.enabled()) {
            return Optional.empty();
        }
        Optional<Sessions.Session> session = sessions.find(id);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Optional<User> user = directory.user(session.get().user());
        if (user.isEmpty()) {
            // the user was removed from users: by a reload: the session goes with them
            sessions.end(id);
        }
        return user;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String path = req.getRequestURI().substring(req.getContextPath().length());
        boolean unsafe = Csrf.unsafe(req.getMethod());
        if (unsafe && Csrf.foreignOrigin(req)) {
            log.info("refused a cross-site {} {} from {} (Origin {})", req.getMethod(), path, req.getRemoteAddr(),
                    Audit.quote(req.getHeader("Origin")));
            Pages.error(resp, path, HttpServletResponse.SC_FORBIDDEN, "cross-site request refused: its Origin is "
                    + "not this server");
            return;
        }
        UserDirectory directory = users;
        if (path.equals("/login") || path.equals("/logout")) {
            if (directory == null) {
                Pages.error(resp, path, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                        "hbd's user directory is not available; try again in a second", 1);
            } else if (path.equals("/login")) {
                login(req, resp, directory);
            } else {
                logout(req, resp);
            }
            return;
        }
        if (OPEN.contains(path) || ASSETS.stream().anyMatch(path::startsWith)
                || metricsPublic && path.equals("/metrics")) {
            chain.doFilter(request, response);
            return;
        }
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
            String cookie = Csrf.cookie(req, Sessions.COOKIE);
            Optional<Sessions.Session> session = sessions.find(cookie);
            if (session.isPresent() && directory.user(session.get().user()).isEmpty()) {
                // the user was removed from users: by a reload: the session goes with them
                sessions.end(cookie);
                session = Optional.empty();
            }
            if (session.isPresent()) {
                Sessions.Session s = session.get();
                if (unsafe && !Csrf.sameOrigin(req)) {
                    Pages.error(resp, path, HttpServletResponse.SC_FORBIDDEN, "a request with the session cookie "
                            + "that changes something must come from this server's pages (Origin or Referer)");
                    return;
                }
                if (unsafe && !s.csrfMatches(req.getHeader(Csrf.HEADER)) && !console(path)) {
                    Pages.error(resp, path, HttpServletResponse.SC_FORBIDDEN, "missing or wrong " + Csrf.HEADER
                            + " header: a request with the session cookie that changes something needs the "
                            + "session's CSRF token (GET /api/whoami)");
                    return;
                }
                req.setAttribute(Sessions.ATTRIBUTE, s);
                pass(req, response, chain, s.user(), HttpServletRequest.FORM_AUTH);
                return;
            }
            if (isPage(req, path)) {
                String query = req.getQueryString();
                String next = req.getRequestURI() + (query == null ? "" : "?" + query);
                resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
                resp.setHeader("Location", ForwardedHeaders.base(req) + "/login?next="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8));
                resp.setHeader("Cache-Control", "no-store");
                return;
            }
            String message = cookie != null ? "your session has ended (logged out, or idle too long); log in again"
                    : "authentication required: log in at /login, HTTP Basic with a user of users:, or "
                            + "Authorization: Bearer TOKEN (hbd token create); see docs/USERS.md";
            Pages.error(resp, path, HttpServletResponse.SC_UNAUTHORIZED, message, 0,
                    cookie != null ? null : CHALLENGE);
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
            limited(address, c.user(), wait);
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
        pass(req, response, chain, user.get().name(), c.user() == null ? "Bearer" : HttpServletRequest.BASIC_AUTH);
    }

    /**
     * Whether a path is the runtime console's (hb.server.console): its pages post forms and requests of their own,
     * which cannot carry the session's CSRF token, so there the session cookie (SameSite=Strict, so a browser never
     * sends it along with another site's request) and the same-origin check above stand for it. A raw path with a
     * dot segment or an escape is not taken for the console's: it might lead elsewhere once decoded.
     */
    static boolean console(String path) {
        return (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/")) && !path.contains("/.")
                && !path.contains("%") && !path.contains("\\") && !path.contains(";");
    }

    private static void pass(HttpServletRequest req, ServletResponse response, FilterChain chain, String name,
            String type) throws IOException, ServletException {
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

    private void limited(String address, String user, int wait) {
        // debug only: one line per refused request would let a guesser flood the log
        log.debug("authentication from {} refused for {} s after too many failures{}", address, wait,
                user == null ? "" : " (user " + user + ")");
    }

    /**
     * Whether an unauthenticated request is a person's browser asking for a page (then it goes to the login page)
     * rather than a script asking the API (then 401): a GET or HEAD outside {@code /api/} and {@code /metrics},
     * judged on the decoded path.
     */
    static boolean isPage(HttpServletRequest req, String rawPath) {
        String m = req.getMethod();
        if (!"GET".equals(m) && !"HEAD".equals(m)) {
            return false;
        }
        if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            // a WebSocket handshake (/ws) is no page to show a login form in: it gets 401 like the API
            return false;
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return !Pages.isApi(decoded) && !Pages.isApi(rawPath);
    }

    /** {@code GET /login}: the form; {@code POST /login}: checks the password and begins a new session. */
    private void login(HttpServletRequest req, HttpServletResponse resp, UserDirectory directory) throws IOException {
        String method = req.getMethod();
        boolean enabled = directory.enabled();
        if (method.equals("GET") || method.equals("HEAD")) {
            LoginPage.write(resp, 200, Csrf.localPath(req.getParameter("next")), null, null, enabled);
            return;
        }
        if (!method.equals("POST")) {
            resp.setHeader("Allow", "GET, POST");
            Pages.error(resp, "/login", HttpServletResponse.SC_METHOD_NOT_ALLOWED, "the login page takes GET and POST");
            return;
        }
        String next = Csrf.localPath(req.getParameter("next"));
        String name = req.getParameter("user");
        String password = req.getParameter("password");
        if (!enabled) {
            LoginPage.write(resp, HttpServletResponse.SC_NOT_FOUND, next, null, "no users are configured", false);
            return;
        }
        if (!Csrf.sameOrigin(req)) {
            LoginPage.write(resp, HttpServletResponse.SC_FORBIDDEN, next, name,
                    "the login form must be sent from this server's login page", true);
            return;
        }
        if (name == null || name.isEmpty() || password == null || password.isEmpty()) {
            LoginPage.write(resp, HttpServletResponse.SC_BAD_REQUEST, next, name,
                    "enter a user name and a password", true);
            return;
        }
        String address = req.getRemoteAddr();
        int wait = limiter.acquire(address, name);
        if (wait > 0) {
            limited(address, name, wait);
            resp.setHeader("Retry-After", Integer.toString(wait));
            LoginPage.write(resp, 429, next, name, "too many failed attempts; try again in " + wait + " s", true);
            return;
        }
        Optional<User> user = directory.authenticate(name, password);
        if (user.isEmpty()) {
            log.info("login failed from {} (user {})", address, Audit.quote(name));
            LoginPage.write(resp, HttpServletResponse.SC_UNAUTHORIZED, next, name, "wrong user name or password",
                    true);
            return;
        }
        limiter.release(address, name);
        // a session id from before the login is never used again: the login always begins a new one
        sessions.end(Csrf.cookie(req, Sessions.COOKIE));
        Sessions.Session s = sessions.create(user.get().name());
        resp.addHeader("Set-Cookie", cookie(s.id(), req.isSecure(), -1, ForwardedHeaders.base(req)));
        audit.record(s.user(), address, "login", null, null);
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", ForwardedHeaders.base(req) + next);
        resp.setHeader("Cache-Control", "no-store");
    }

    /** {@code POST /logout}: ends the session (with its CSRF token) and sends the browser to the login page. */
    private void logout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("POST")) {
            resp.setHeader("Allow", "POST");
            Pages.error(resp, "/logout", HttpServletResponse.SC_METHOD_NOT_ALLOWED, "log out with POST /logout");
            return;
        }
        String id = Csrf.cookie(req, Sessions.COOKIE);
        Optional<Sessions.Session> session = sessions.find(id);
        if (session.isPresent()) {
            String token = req.getHeader(Csrf.HEADER);
            if (token == null) {
                token = req.getParameter(Csrf.FIELD);
            }
            if (!Csrf.sameOrigin(req) || !session.get().csrfMatches(token)) {
                Pages.error(resp, "/logout", HttpServletResponse.SC_FORBIDDEN, "logging out needs the session's CSRF "
                        + "token (form field csrf or header " + Csrf.HEADER + ") from this server's pages");
                return;
            }
            sessions.end(id);
            audit.record(session.get().user(), req.getRemoteAddr(), "logout", null, null);
        }
        resp.addHeader("Set-Cookie", cookie("", req.isSecure(), 0, ForwardedHeaders.base(req)));
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", ForwardedHeaders.base(req) + "/login");
        resp.setHeader("Cache-Control", "no-store");
    }

    /**
     * The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, for the paths under {@code base} (a
     * proxy's base path, or ""); with maxAge 0 it deletes the cookie.
     */
    static String cookie(String value, boolean secure, int maxAge, String base) {
        return Sessions.COOKIE + "=" + value + "; Path=" + base + "/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
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
