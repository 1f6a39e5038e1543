package org.heartbeat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import org.heartbeat.config.ServerConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the command line talks to the running daemon's HTTP API: its address from the configuration (or
 * {@code --url}), an API token from {@code --token} or {@code HB_TOKEN} when users are configured. Answers are JSON,
 * read with the YAML parser the command line already has (JSON is YAML).
 */
final class DaemonApi {
    /** The token's environment variable. */
    static final String TOKEN_ENV = "HB_TOKEN";

    @CommandLine.Mixin
    Hbd.ConfigOption config = new Hbd.ConfigOption();

    @Option(names = "--url", paramLabel = "URL",
            description = "The daemon's HTTP address (default: from the configuration's listen and hbd_port)")
    URI url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "An API token (hbd token create USER); default: the HB_TOKEN environment variable."
                    + " Needed once users are configured.")
    String token;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "40",
            description = "Give up on the daemon after this long (default: ${DEFAULT-VALUE})")
    double timeout;

    /** A failure to reach the daemon or an error it answered, in words for the operator. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unreachable;

        Failure(String message) {
            this(message, false);
        }

        Failure(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        /** Whether nothing listens at the daemon's address (no daemon runs). */
        boolean unreachable() {
            return unreachable;
        }
    }

    record Answer(int status, Object body) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list() {
            return body instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    /**
     * Where the daemon is, and when it speaks HTTPS how to trust it and, when the certificate does not name the
     * address called, the name to send as {@code Host} (null for none).
     */
    record Endpoint(URI base, SSLSocketFactory tls, String host) {
        @Override
        public String toString() {
            return base.toString();
        }
    }

    Endpoint endpoint() throws Failure {
        return endpoint(url, config);
    }

    /**
     * The daemon's address: {@code --url} when given (an https:// one is trusted as Java trusts any site), else the
     * configuration's {@code listen} and {@code hbd_port}, https:// with the configuration's {@code tls_cert} as the
     * one certificate trusted.
     */
    static Endpoint endpoint(URI url, Hbd.ConfigOption config) throws Failure {
        if (url != null) {
            if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
                throw new Failure("--url must be an http:// or https:// address, not " + url);
            }
            return new Endpoint(url, null, null);
        }
        StringWriter problems = new StringWriter();
        ServerConfig sc = config.load(new PrintWriter(problems));
        if (sc == null) {
            throw new Failure("configuration: " + problems.toString().strip().replace("hbd: ", ""));
        }
        String address = sc.listen().isEmpty() || sc.listen().equals("0.0.0.0") || sc.listen().equals("::")
                ? "127.0.0.1" : sc.listen().contains(":") ? "[" + sc.listen() + "]" : sc.listen();
        if (!sc.tls().enabled()) {
            return new Endpoint(URI.create("http://" + address + ":" + sc.hbdPort()), null, null);
        }
        try {
            String host = PinnedCertificate.hostFor(sc.tls().cert(), address);
            if (host != null) {
                // Host is a restricted header of HttpURLConnection; it reads this when it first connects
                System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
            }
            return new Endpoint(URI.create("https://" + address + ":" + sc.hbdPort()),
                    PinnedCertificate.socketFactory(sc.tls().cert()), host == null ? null : host + ":" + sc.hbdPort());
        } catch (IOException e) {
            throw new Failure("tls_cert: " + e.getMessage());
        }
    }

    /**
     * Calls the API.
     *
     * @param json the request body, or null
     * @return the answer, when its status is below 400
     * @throws Failure naming what went wrong, with the daemon's own error message when it answered one
     */
    Answer call(String method, String path, String json) throws Failure {
        Endpoint base = endpoint();
        URI target = base.base().resolve(path);
        int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(100, Math.round(timeout * 1000)));
        HttpURLConnection c = null;
        String t = token(token);
        try {
            c = connect(base, target, limit, t);
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            if (json != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            String body;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Object parsed = body.isBlank() ? null : parse(body);
            if (status >= 400) {
                String error = parsed instanceof Map<?, ?> m && m.get("error") != null ? String.valueOf(m.get("error"))
                        : "HTTP " + status;
                if (status == 401) {
                    error += t == null ? " (users are configured: pass --token or set " + TOKEN_ENV
                            + "; make one with: hbd token create USER)" : " (is the token revoked?)";
                } else if (status == 404 && !(parsed instanceof Map<?, ?>)) {
                    error += " for " + path + " (is it an hbd of this version?)";
                } else if (status == 503) {
                    error += " (hbd is starting or stopping; try again in a second)";
                }
                throw new Failure(error);
            }
            return new Answer(status, parsed);
        } catch (ConnectException e) {
            throw new Failure("cannot reach hbd at " + base + ": connection refused (is it running?)", true);
        } catch (SocketTimeoutException e) {
            throw new Failure("hbd at " + base + " did not answer within " + limit / 1000.0 + " s");
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("cannot reach hbd at " + base + ": " + e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** The token to send: the option's, else {@code HB_TOKEN}'s; null for none. */
    static String token(String option) {
        String t = option != null ? option : System.getenv(TOKEN_ENV);
        return t == null || t.isBlank() ? null : t.strip();
    }

    /**
     * A connection to the daemon with timeouts, no redirects, the bearer token when there is one, and the endpoint's
     * trust when it speaks HTTPS.
     * HttpURLConnection rather than java.net.http.HttpClient: the latter sets up TLS even for http://, which costs a
     * third of a short command's time (Nagios runs {@code hbd check} once per host and check interval).
     */
    static HttpURLConnection connect(Endpoint endpoint, URI target, int timeoutMillis, String token)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        if (c instanceof HttpsURLConnection https && endpoint.tls() != null) {
            https.setSSLSocketFactory(endpoint.tls());
            // the one certificate trusted is tls_cert's own, whatever names it holds (see PinnedCertificate)
            https.setHostnameVerifier((host, session) -> true);
            if (endpoint.host() != null) {
                c.setRequestProperty("Host", endpoint.host());
            }
        }
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setInstanceFollowRedirects(false);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        return c;
    }

    private static Object parse(String json) {
        try {
            return new Yaml(new LoaderOptions()).load(json);
        } catch (RuntimeException e) {
            return json;
        }
    }

    /** A JSON string literal. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** For Basic authentication in tests and scripts that prefer a password. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
