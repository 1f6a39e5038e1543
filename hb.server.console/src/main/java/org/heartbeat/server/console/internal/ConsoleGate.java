package org.heartbeat.server.console.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console's security provider: the Felix Web Console asks it about every request under
 * {@value #ROOT} (pages, actions and the console's own scripts) before it answers. Authentication itself is not
 * done here: hb.server.http's access gate has already run on every request of the main HTTP instance and put the
 * user of the session, of HTTP Basic or of a token into {@link HttpServletRequest#getRemoteUser()} (or answered 401,
 * or sent a browser to the login page). This provider decides what {@link #decide} says: {@code console: off} is
 * 404; {@code localhost} admits only connections from the loopback address; with users configured only admins get
 * in (403 for the others); without users the console is only for connections from this machine, whatever
 * {@code console:} says, since it installs code. The configuration status pages are refused as well: they print
 * framework properties, which hold {@code hb.yaml}'s text with its secrets.
 *
 * <p>The console waits for this provider: the framework property {@code felix.webconsole.security.providers=hbd}
 * (cnf/hbd.bndrun) names its {@value SecurityProvider#PROPERTY_ID}, and the console registers its servlet only while
 * such a provider is there, so it never falls back to its own built-in password. Called on Jetty's request threads;
 * without the user directory (it comes from {@code hbd}'s core) it answers 503. docs/USERS.md.
 */
@Component(service = SecurityProvider.class, configurationPid = ConsoleSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {SecurityProvider.PROPERTY_ID + "=" + ConsoleGate.ID, "service.ranking:Integer=1000"})
@Designate(ocd = ConsoleSettings.class)
public final class ConsoleGate implements SecurityProvider {
    /** The provider's id, which the framework property {@code felix.webconsole.security.providers} requires. */
    static final String ID = "hbd";
    /** Where the console lives (its default {@code manager.root}). */
    static final String ROOT = "/system/console";
    /** The user object of a console request from this machine while no users are configured. */
    static final String LOCAL = "(local, no users configured)";
    /**
     * The console's own Content-Security-Policy: its pages (the Felix Web Console's, not Heartbeat's) carry their
     * data and handlers inline and evaluate strings, so they need {@code 'unsafe-inline'} (scripts and styles) and
     * {@code 'unsafe-eval'}, which hbd's pages never get; everything still comes from this server only
     * (hb.server.http adds {@code frame-ancestors 'none'}).
     */
    static final String POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'";

    private volatile ConsoleMode mode;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile UserDirectory users;

    @Activate
    public ConsoleGate(ConsoleSettings settings) {
        modified(settings);
    }

    /** For tests. */
    ConsoleGate(ConsoleMode mode, UserDirectory users) {
        this.mode = mode;
        this.users = users;
    }

    /** {@code hbd reload} may change {@code console:}; the next request sees it. */
    @Modified
    void modified(ConsoleSettings settings) {
        mode = ConsoleMode.of(settings.mode());
    }

    /** What to do with one request: let it in as {@code user}, or answer {@code status} with {@code message}. */
    record Decision(String user, int status, String message) {
        static Decision allow(String user) {
            return new Decision(user, 200, null);
        }

        static Decision refuse(int status, String message) {
            return new Decision(null, status, message);
        }

        boolean allowed() {
            return user != null;
        }
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        Decision d = decide(mode, users, request.getRemoteAddr(), request.getRemoteUser(), request.getRequestURI());
        if (d.allowed()) {
            response.setHeader("Content-Security-Policy", POLICY);
            return d.user();
        }
        try {
            error(response, d.status(), d.message());
        } catch (IOException e) {
            // the client went away; nothing more to tell it
        }
        return null;
    }

    /**
     * The rules above, for one request: {@code address} is the client's (the connection's, not a forwarded
     * header's), {@code remoteUser} what the access gate set ({@code null} without users), {@code uri} the raw request
     * path.
     */
    static Decision decide(ConsoleMode mode, UserDirectory directory, String address, String remoteUser, String uri) {
        if (mode == ConsoleMode.OFF) {
            return Decision.refuse(404, "the console is off (console: off in hb.yaml)");
        }
        if (directory == null) {
            return Decision.refuse(503, "hbd's user directory is not available; try again in a second");
        }
        boolean usersOn = directory.enabled();
        if (!loopback(address) && (mode == ConsoleMode.LOCALHOST || !usersOn)) {
            return Decision.refuse(403, usersOn
                    ? "the console answers only connections from this machine (console: localhost in hb.yaml)"
                    : "without users: in hb.yaml the console answers only connections from this machine");
        }
        if (statusPage(uri)) {
            return Decision.refuse(403, "the configuration status pages are not served: they would show secrets "
                    + "(hbd's framework properties hold hb.yaml)");
        }
        if (!usersOn) {
            return Decision.allow(LOCAL);
        }
        if (remoteUser == null) {
            return Decision.refuse(401, "authentication required: log in at /login or use HTTP Basic");
        }
        Optional<User> user = directory.user(remoteUser);
        if (user.isEmpty() || !user.get().admin()) {
            return Decision.refuse(403, "the console is for admins; " + remoteUser + " is not one (admin: true "
                    + "in users:)");
        }
        return Decision.allow(user.get().name());
    }

    /** Whether the path is under {@code /system/console/status}: the Felix Inventory's printers. */
    static boolean statusPage(String uri) {
        if (uri == null) {
            return false;
        }
        String path;
        try {
            path = URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return true;
        }
        if (!path.startsWith(ROOT + "/")) {
            return false;
        }
        String label = path.substring(ROOT.length() + 1);
        while (label.startsWith("/")) {
            label = label.substring(1);
        }
        return label.regionMatches(true, 0, "status", 0, "status".length())
                || label.regionMatches(true, 0, "config", 0, "config".length())
                        && !label.regionMatches(true, 0, "configMgr", 0, "configMgr".length());
    }

    /** Whether an address (an IP literal, as the servlet container reports it) is this machine's loopback. */
    static boolean loopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!a.matches("[0-9A-Fa-f.:]+(%[0-9A-Za-z]+)?") || !(a.contains(".") || a.contains(":"))) {
            return false;
        }
        try {
            // an IP literal: no name lookup
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        byte[] body = ("{\"status\": " + status + ", \"error\": \"" + json(message) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        // complete and committed: the whiteboard adds nothing after a refusal
        response.flushBuffer();
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    @Override
    public boolean authorize(Object user, String role) {
        // whoever authenticate() let in is an admin (or the local operator without users): every role
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // the session is hbd's (POST /logout); the console keeps nothing of its own
    }
}
