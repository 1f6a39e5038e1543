package org.heartbeat.server.internal.config;

import java.util.Dictionary;
import java.util.Hashtable;

/**
 * The two Felix HTTP instances of {@code hbd}: {@value #MAIN} on {@code hbd_port} for the dashboard and
 * the API, {@value #WS} on {@code ws_port} for live updates. Whiteboard services choose one with
 * {@code osgi.http.whiteboard.target}.
 */
final class HttpInstances {
    /** Configuration PID of Felix HTTP: the main instance, and the factory of further instances. */
    static final String PID = "org.apache.felix.http";
    /** Service property of an HTTP runtime naming its instance. */
    static final String NAME = "org.apache.felix.http.name";
    static final String MAIN = "hbd";
    static final String WS = "ws";

    private HttpInstances() {
    }

    static Dictionary<String, Object> main(String listen, int port) {
        return instance(MAIN, listen, port);
    }

    static Dictionary<String, Object> webSocket(String listen, int port) {
        return instance(WS, listen, port);
    }

    private static Dictionary<String, Object> instance(String name, String listen, int port) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(NAME, name);
        d.put("org.osgi.service.http.port", port);
        if (!listen.isEmpty()) {
            d.put("org.apache.felix.http.host", listen);
        }
        d.put("org.apache.felix.http.enable", true);
        d.put("org.apache.felix.https.enable", false);
        d.put("org.apache.felix.http.jetty.sendServerHeader", false);
        // host names may be ".", ".." or hold "%" or "\\": let their percent-encoded forms reach the API
        d.put("org.eclipse.jetty.UriComplianceMode", "LEGACY");
        return d;
    }
}
