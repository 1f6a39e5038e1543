package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;

/**
 * Opens {@code hbd}'s two Felix HTTP instances: {@value #MAIN} on {@code hbd_port} for the dashboard and the API,
 * {@value #WS} on {@code ws_port} for live updates (whiteboard services choose one with
 * {@code osgi.http.whiteboard.target}). It writes their configurations, for which they wait
 * ({@code org.apache.felix.http.require.config}), so each starts once, on the configured address and port.
 *
 * <p>It does so only once the {@link StartingGate} is registered. A whiteboard takes preprocessors before servlets
 * when it starts, so the port opens with the gate already in front of every resource: a request while
 * {@code hbd} starts gets the gate's 503, never a resource answering before the state it shows is restored. (Felix
 * HTTP opens the port a moment before its whiteboard dispatches, and closes it a moment after: within that moment,
 * a few milliseconds at most, its own dispatcher answers 404. docs/HTTP_API.md says so.)
 */
@Component(configurationPid = HttpSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HttpSettings.class)
public final class HttpInstances {
    /** Configuration PID of Felix HTTP: the main instance, and the factory of further instances. */
    static final String PID = "org.apache.felix.http";
    /** Service property of an HTTP runtime naming its instance. */
    static final String NAME = "org.apache.felix.http.name";
    static final String MAIN = "hbd";
    static final String WS = "ws";
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin configAdmin;

    @Activate
    public HttpInstances(@Reference ConfigurationAdmin configAdmin,
            @Reference(target = "(component.name=org.heartbeat.server.http.internal.StartingGate)")
            Preprocessor gate, HttpSettings settings) throws IOException {
        this.configAdmin = configAdmin;
        apply(settings);
    }

    /** A reload that changes an address or a port: the instance restarts there (Felix HTTP does, on an update). */
    @Modified
    void apply(HttpSettings settings) throws IOException {
        // only a change is written: an update restarts the instance
        configAdmin.getConfiguration(PID, ANY_LOCATION).updateIfDifferent(instance(MAIN, settings.listen(),
                settings.http_port()));
        configAdmin.getFactoryConfiguration(PID, WS, ANY_LOCATION).updateIfDifferent(instance(WS, settings.listen(),
                settings.ws_port()));
    }

    static Dictionary<String, Object> instance(String name, String listen, int port) {
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
