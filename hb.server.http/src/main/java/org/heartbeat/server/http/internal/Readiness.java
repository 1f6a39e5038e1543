package org.heartbeat.server.http.internal;

import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;

import org.heartbeat.runtime.Launch;
import org.heartbeat.server.api.ServerStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.condition.Condition;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

import jakarta.servlet.Servlet;

/**
 * Tells whoever holds the runtime that {@code hbd} is ready: the core is up (its state restored, UDP bound), both
 * HTTP instances run, and the API's resources are registered with the main one. Then it registers a
 * {@link Condition} with the id {@link Launch#READY_CONDITION} and the ports really bound as its properties: the
 * launcher prints its ready line from them, {@link StartingGate} stops answering 503, {@code /api/status} says
 * {@code ready}.
 */
@Component(immediate = true)
public final class Readiness {
    private static final String HOSTS = "(component.name=org.heartbeat.server.http.internal.HostsResource)";
    private static final String STATUS = "(component.name=org.heartbeat.server.http.internal.StatusResource)";
    private static final String MAIN = "(org.apache.felix.http.name=hbd)";
    private static final String WS = "(org.apache.felix.http.name=ws)";

    private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile(":(\\d{1,5})(/[^:]*)?$");

    private final ServiceRegistration<Condition> registration;

    @Activate
    public Readiness(BundleContext context, @Reference ServerStatus server,
            @Reference(target = MAIN, service = HttpServiceRuntime.class) Map<String, Object> main,
            @Reference(target = WS, service = HttpServiceRuntime.class) Map<String, Object> ws,
            @Reference(target = HOSTS, service = Servlet.class) Map<String, Object> hosts,
            @Reference(target = STATUS, service = Servlet.class) Map<String, Object> status,
            @Reference(service = LoggerFactory.class) Logger log) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, Launch.READY_CONDITION);
        props.put(Launch.UDP_PORT, server.udpPort());
        props.put(Launch.HTTP_PORT, port(main.get("osgi.http.endpoint")));
        props.put(Launch.WS_PORT, port(ws.get("osgi.http.endpoint")));
        this.registration = context.registerService(Condition.class, Condition.INSTANCE, props);
        String secure = secure(main.get("osgi.http.endpoint")) ? "S" : "";
        log.info("Heartbeat daemon starting on UDP :{}, HTTP{} :{}, WS{} :{}", props.get(Launch.UDP_PORT), secure,
                props.get(Launch.HTTP_PORT), secure, props.get(Launch.WS_PORT));
    }

    /** Whether the first endpoint an HTTP runtime announces is an https:// one. */
    static boolean secure(Object endpoint) {
        Object first = endpoint instanceof String[] array ? (array.length == 0 ? null : array[0])
                : endpoint instanceof Collection<?> c ? (c.isEmpty() ? null : c.iterator().next())
                : endpoint;
        return first != null && first.toString().startsWith("https:");
    }

    /** The port of the first endpoint an HTTP runtime announces; -1 when it announces none. */
    static int port(Object endpoint) {
        Object first = endpoint instanceof String[] array ? (array.length == 0 ? null : array[0])
                : endpoint instanceof Collection<?> c ? (c.isEmpty() ? null : c.iterator().next())
                : endpoint;
        if (first == null) {
            return -1;
        }
        // "http://192.0.2.1:8080/", "http://[::1]:8080/", and from some versions "http://::1:8080/"
        java.util.regex.Matcher m = PORT.matcher(first.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
