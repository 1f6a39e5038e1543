package org.heartbeat.server.internal;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.heartbeat.runtime.LogOutput;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/**
 * Prints {@code Heartbeat daemon starting on UDP :50003, HTTP :50004, WS :50005} on standard output once
 * all three ports are really bound, with the ports bound (which differ from the configured ones when those
 * are 0). The launcher waits for this line. With {@value #EXIT_PROPERTY} set, a daemon whose ports are not
 * all bound within {@value #STARTUP_TIMEOUT_SECONDS} seconds says which are missing and exits with status 1.
 */
@Component(immediate = true)
public final class StartupAnnouncer {
    public static final String EXIT_PROPERTY = "heartbeat.exit.on.startup.failure";
    static final int STARTUP_TIMEOUT_SECONDS = 20;

    private final Map<String, Integer> httpPorts = new ConcurrentHashMap<>();
    private final UdpReceiver udp;
    private final Logger log;
    private final boolean toLogToo;
    private final ScheduledExecutorService watchdog;
    private boolean announced;

    @Activate
    public StartupAnnouncer(BundleContext context, @Reference UdpReceiver udp,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.udp = udp;
        this.log = log;
        this.toLogToo = context.getProperty(LogOutput.LOGFILE_PROPERTY) != null;
        if (Boolean.parseBoolean(context.getProperty(EXIT_PROPERTY))) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hbd-startup-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.schedule(this::giveUp, STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } else {
            watchdog = null;
        }
        announceWhenReady();
    }

    @Reference(service = HttpServiceRuntime.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addRuntime(Map<String, Object> properties) {
        Object name = properties.get(HttpInstances.NAME);
        int port = port(properties.get("osgi.http.endpoint"));
        if (name != null && port > 0) {
            httpPorts.put(name.toString(), port);
            announceWhenReady();
        }
    }

    void removeRuntime(Map<String, Object> properties) {
        Object name = properties.get(HttpInstances.NAME);
        if (name != null) {
            httpPorts.remove(name.toString());
        }
    }

    static int port(Object endpoint) {
        Object first = endpoint instanceof String[] array ? (array.length == 0 ? null : array[0])
                : endpoint instanceof java.util.Collection<?> c ? (c.isEmpty() ? null : c.iterator().next())
                : endpoint;
        if (first == null) {
            return -1;
        }
        try {
            return URI.create(first.toString()).getPort();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private synchronized void announceWhenReady() {
        if (announced || udp == null) {
            return;
        }
        Integer http = httpPorts.get(HttpInstances.MAIN);
        Integer ws = httpPorts.get(HttpInstances.WS);
        if (http == null || ws == null) {
            return;
        }
        announced = true;
        String line = "Heartbeat daemon starting on UDP :" + udp.port() + ", HTTP :" + http + ", WS :" + ws;
        System.out.println(line);
        System.out.flush();
        if (toLogToo) {
            log.info("{}", line);
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    private synchronized void giveUp() {
        if (announced) {
            return;
        }
        String missing = (httpPorts.containsKey(HttpInstances.MAIN) ? "" : " HTTP (hbd_port)")
                + (httpPorts.containsKey(HttpInstances.WS) ? "" : " WS (ws_port)");
        String message = "hbd could not bind" + missing + " within " + STARTUP_TIMEOUT_SECONDS
                + " s (is the port in use? see the log); exiting";
        log.error("{}", message);
        System.err.println(message);
        System.exit(1);
    }

    @Deactivate
    void deactivate() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }
}
