package org.heartbeat.server.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;

import org.heartbeat.runtime.Launch;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.condition.Condition;

/**
 * What keeps the core from working (a UDP port that cannot be bound), told to whoever holds the runtime: while
 * there is a problem, a {@link Condition} with the id {@value Launch#FAILURE_CONDITION} is registered whose
 * property {@value Launch#FAILURE_MESSAGE} says what is wrong. The launcher waits for either it or the readiness
 * condition, and exits with the message instead of hanging. A component cannot register that service itself when
 * its own activation fails, so it reports here.
 */
@Component(service = StartupProblems.class)
public final class StartupProblems {
    private final BundleContext context;
    private final Map<String, String> problems = new TreeMap<>();
    private ServiceRegistration<Condition> registration;

    @Activate
    public StartupProblems(BundleContext context) {
        this.context = context;
    }

    /** Reports a problem under a key (what it is about: {@code udp}); replaces an earlier one of that key. */
    public synchronized void report(String key, String message) {
        problems.put(key, message);
        publish();
    }

    /** The problem of that key is solved. */
    public synchronized void clear(String key) {
        if (problems.remove(key) != null) {
            publish();
        }
    }

    private void publish() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (!problems.isEmpty()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(Condition.CONDITION_ID, Launch.FAILURE_CONDITION);
            props.put(Launch.FAILURE_MESSAGE, String.join("; ", problems.values()));
            registration = context.registerService(Condition.class, Condition.INSTANCE, props);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
