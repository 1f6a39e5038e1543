package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
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
 *
 * <p>With {@code tls_cert} and {@code tls_key} both ports speak HTTPS only (plain HTTP off): it builds the
 * {@link KeyStoreFile} Felix HTTP reads from the PEM files at activation, and again when a reload brings a
 * certificate with another fingerprint. A key store it cannot write fails the activation (the ports stay closed and
 * {@code hbd} does not become ready) or, on a reload, is logged and the running instances keep their certificate.
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
    private final Logger log;
    /** The key store written last: which certificate, and its password; null while serving plain HTTP. */
    private Tls tls;

    /** A key store written for a certificate: its fingerprint, file and password (in no toString()). */
    record Tls(String fingerprint, String keystore, String password) {
        @Override
        public String toString() {
            return "Tls[" + fingerprint + ", " + keystore + "]";
        }
    }

    @Activate
    public HttpInstances(@Reference ConfigurationAdmin configAdmin,
            @Reference(target = "(component.name=org.heartbeat.server.http.internal.StartingGate)")
            Preprocessor gate, @Reference(service = LoggerFactory.class) Logger log, HttpSettings settings)
            throws IOException {
        this.configAdmin = configAdmin;
        this.log = log;
        this.tls = keyStore(settings, null);
        write(settings);
    }

    /**
     * A reload that changes an address, a port or the certificate: the instance restarts with it (Felix HTTP does,
     * on an update).
     */
    @Modified
    void apply(HttpSettings settings) throws IOException {
        try {
            tls = keyStore(settings, tls);
        } catch (IOException e) {
            log.error("reload: HTTPS keeps its certificate: {}", e.getMessage());
            return;
        }
        write(settings);
    }

    private void write(HttpSettings settings) throws IOException {
        // only a change is written: an update restarts the instance
        configAdmin.getConfiguration(PID, ANY_LOCATION).updateIfDifferent(instance(MAIN, settings.listen(),
                settings.http_port(), tls));
        configAdmin.getFactoryConfiguration(PID, WS, ANY_LOCATION).updateIfDifferent(instance(WS, settings.listen(),
                settings.ws_port(), tls));
    }

    /** The key store for the configured certificate: {@code current} when it is the same one, else written anew. */
    static Tls keyStore(HttpSettings settings, Tls current) throws IOException {
        if (settings.tls_cert().isEmpty()) {
            if (current != null) {
                // back to plain HTTP: the key store is of no further use
                java.nio.file.Files.deleteIfExists(Path.of(current.keystore()));
            }
            return null;
        }
        if (current != null && current.fingerprint().equals(settings.tls_fingerprint())
                && current.keystore().equals(settings.tls_keystore())) {
            return current;
        }
        String password = KeyStoreFile.write(Path.of(settings.tls_cert()), Path.of(settings.tls_key()),
                Path.of(settings.tls_keystore()));
        return new Tls(settings.tls_fingerprint(), settings.tls_keystore(), password);
    }

    static Dictionary<String, Object> instance(String name, String listen, int port, Tls tls) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(NAME, name);
        if (!listen.isEmpty()) {
            d.put("org.apache.felix.http.host", listen);
        }
        if (tls == null) {
            d.put("org.osgi.service.http.port", port);
            d.put("org.apache.felix.http.enable", true);
            d.put("org.apache.felix.https.enable", false);
        } else {
            d.put("org.apache.felix.http.enable", false);
            d.put("org.apache.felix.https.enable", true);
            d.put("org.osgi.service.http.port.secure", port);
            d.put("org.apache.felix.https.keystore", tls.keystore());
            d.put("org.apache.felix.https.keystore.type", "PKCS12");
            d.put("org.apache.felix.https.keystore.password", tls.password());
            d.put("org.apache.felix.https.keystore.key.password", tls.password());
        }
        d.put("org.apache.felix.http.jetty.sendServerHeader", false);
        // host names may be ".", ".." or hold "%" or "\\": let their percent-encoded forms reach the API
        d.put("org.eclipse.jetty.UriComplianceMode", "LEGACY");
        return d;
    }
}
