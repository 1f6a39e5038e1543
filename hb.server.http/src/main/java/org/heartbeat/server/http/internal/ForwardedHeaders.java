package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The browser's view of a request that came through a reverse proxy of {@code trusted_proxies}: when the
 * connection comes from one of those addresses, {@code Forwarded} (RFC 7239) or else {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} and {@code X-Forwarded-For} say the scheme, the host and the client, and the request the
 * rest of {@code hbd} sees answers {@code isSecure()}, {@code getScheme()}, the {@code Host} header and
 * {@code getRemoteAddr()} with them. So the same-origin checks ({@link Csrf}, the WebSocket handshake), HSTS, the
 * session cookie's {@code Secure} and the login limiter's addresses are right behind a proxy that terminates TLS.
 * From any other address the headers are ignored (anyone can send them). Of each header the last value counts: the
 * one the trusted proxy added itself.
 *
 * <p>A proxy that serves {@code hbd} under a path of its own and strips it ({@code location /heartbeat/ {proxy_pass
 * http://127.0.0.1:50004/;}}) names that path in {@value #PREFIX}: links and redirects that {@code hbd} makes then
 * begin with it ({@link #base}). Past this preprocessor the header is always either absent or a path of safe
 * segments from a trusted proxy: it is hidden from requests of any other address, and a value that is no such path
 * is dropped.
 *
 * <p>A whiteboard preprocessor on both instances, ranked before all others (300); runs on the HTTP threads.
 */
@Component(service = Preprocessor.class, property = "service.ranking:Integer=300",
        configurationPid = HttpSettings.PID)
@HttpWhiteboardTarget("(|" + Api.TARGET + "(org.apache.felix.http.name=ws))")
public final class ForwardedHeaders implements Preprocessor {
    /** The header a proxy names its base path in, such as {@code /heartbeat}. */
    static final String PREFIX = "X-Forwarded-Prefix";
    private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile(
            "(/(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+)+");

    private volatile Set<InetAddress> trusted = Set.of();

    @Activate
    public ForwardedHeaders(HttpSettings settings) {
        modified(settings);
    }

    @Modified
    void modified(HttpSettings settings) {
        Set<InetAddress> addresses = new HashSet<>();
        for (String a : settings.trusted_proxies()) {
            InetAddress address = literal(a);
            if (address != null) {
                addresses.add(address);
            }
        }
        trusted = Set.copyOf(addresses);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        chain.doFilter(view(req, trusted), response);
    }

    /**
     * The base path the browser sees hbd under, from a trusted proxy's {@value #PREFIX} (such as
     * {@code /heartbeat}, never ending in {@code /}); {@code ""} at the root. Links and redirects begin with it.
     * Only meaningful for a request this preprocessor has seen.
     */
    static String base(HttpServletRequest req) {
        String prefix = req.getHeader(PREFIX);
        return prefix == null ? "" : prefix;
    }

    /** A base path as given by a proxy, without its trailing slashes; null when it is no path of safe segments. */
    static String prefix(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return PATH.matcher(v).matches() ? v : null;
    }

    /** The request as the browser made it, when it came from a trusted proxy that says so; else {@code req}. */
    static HttpServletRequest view(HttpServletRequest req, Set<InetAddress> trusted) {
        InetAddress from = literal(req.getRemoteAddr());
        if (from == null || !trusted.contains(from)) {
            return req.getHeader(PREFIX) == null ? req : new Forwarded(req, null, null, null, null);
        }
        String proto = null;
        String host = null;
        String client = null;
        String forwarded = last(req.getHeaders("Forwarded"));
        if (forwarded != null) {
            for (String pair : forwarded.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(eq + 1).strip());
                    switch (name) {
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        case "for" -> client = value.startsWith("[") && value.contains("]")
                                ? value.substring(1, value.indexOf(']')) : value;
                        default -> {
                        }
                    }
                }
            }
        } else {
            proto = last(req.getHeaders("X-Forwarded-Proto"));
            host = last(req.getHeaders("X-Forwarded-Host"));
            client = last(req.getHeaders("X-Forwarded-For"));
        }
        if (proto != null && !proto.equalsIgnoreCase("https") && !proto.equalsIgnoreCase("http")) {
            proto = null;
        }
        if (host != null && !host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
            host = null;
        }
        if (client != null && literal(client) == null) {
            client = null;
        }
        String prefix = prefix(last(req.getHeaders(PREFIX)));
        if (proto == null && host == null && client == null && prefix == null && req.getHeader(PREFIX) == null) {
            return req;
        }
        return new Forwarded(req, proto == null ? null : proto.toLowerCase(Locale.ROOT), host, client, prefix);
    }

    private static final class Forwarded extends HttpServletRequestWrapper {
        private final String proto;
        private final String host;
        private final String client;
        /** The base path, or null: then the request has no {@value #PREFIX} header at all. */
        private final String prefix;

        Forwarded(HttpServletRequest req, String proto, String host, String client, String prefix) {
            super(req);
            this.proto = proto;
            this.host = host;
            this.client = client;
            this.prefix = prefix;
        }

        @Override
        public boolean isSecure() {
            return proto == null ? super.isSecure() : proto.equals("https");
        }

        @Override
        public String getScheme() {
            return proto == null ? super.getScheme() : proto;
        }

        @Override
        public String getHeader(String name) {
            if (name.equalsIgnoreCase(PREFIX)) {
                return prefix;
            }
            return host != null && name.equalsIgnoreCase("Host") ? host : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (name.equalsIgnoreCase(PREFIX)) {
                return Collections.enumeration(prefix == null ? Set.of() : Set.of(prefix));
            }
            return host != null && name.equalsIgnoreCase("Host") ? Collections.enumeration(Set.of(host))
                    : super.getHeaders(name);
        }

        @Override
        public String getServerName() {
            if (host == null) {
                return super.getServerName();
            }
            int colon = host.lastIndexOf(':');
            return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
        }

        @Override
        public int getServerPort() {
            if (host == null) {
                return super.getServerPort();
            }
            int colon = host.lastIndexOf(':');
            return colon > host.lastIndexOf(']') ? Integer.parseInt(host.substring(colon + 1))
                    : getScheme().equals("https") ? 443 : 80;
        }

        @Override
        public String getRemoteAddr() {
            return client == null ? super.getRemoteAddr() : client;
        }
    }

    /** The last value of a header that may be repeated and hold comma-separated values; null for none. */
    private static String last(Enumeration<String> values) {
        String last = null;
        while (values != null && values.hasMoreElements()) {
            String v = values.nextElement();
            if (v != null && !v.isBlank()) {
                last = v;
            }
        }
        if (last == null) {
            return null;
        }
        String[] parts = last.split(",");
        String v = parts[parts.length - 1].strip();
        return v.isEmpty() ? null : v;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** An IP literal as an address (no name is looked up); null when it is not one. */
    static InetAddress literal(String s) {
        if (s == null || !s.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
