package org.heartbeat.runtime.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework when the JVM is asked to end (SIGTERM, SIGINT, systemctl stop), and waits for it,
 * so that every component is deactivated first: the server writes its state file, the log is flushed.
 * Without this the JVM would simply halt.
 */
@Component(immediate = true)
public final class GracefulShutdown {
    static final long WAIT_MILLIS = 20_000;

    private final Thread hook;

    @Activate
    public GracefulShutdown(BundleContext context) {
        Framework framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = new Thread(() -> {
            try {
                framework.stop();
                framework.waitForStop(WAIT_MILLIS);
            } catch (BundleException e) {
                System.err.println("heartbeat: stopping the framework failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "framework-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this hook is what is stopping us
        }
    }
}
