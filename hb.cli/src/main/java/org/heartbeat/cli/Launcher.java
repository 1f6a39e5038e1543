package org.heartbeat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.heartbeat.runtime.Launch;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.condition.Condition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts an OSGi runtime in this JVM and holds it: the runtime is what bnd exported ({@code launcher.properties} and
 * the bundles it lists), found on the class path, unpacked ({@code lib/hbd/} or {@code lib/hbc/}) or as the
 * exported jar. The JVM-wide concerns are the launcher's, never a bundle's: it installs the shutdown hook that
 * stops the framework (so every component saves its state), turns {@code SIGHUP} into calls on the runtime's
 * {@code Runnable} services that ask for it, learns readiness and failure from condition services (see
 * {@link Launch}), and says why when the runtime cannot start.
 */
final class Launcher implements AutoCloseable {
    /** What a runtime reported when it became ready: the ports it bound. */
    record Ready(int udpPort, int httpPort, int wsPort) {
    }

    /** The runtime could not start; the message says why. */
    static final class StartupFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartupFailure(String message) {
            super(message);
        }
    }

    private static final String PROPERTIES = "launcher.properties";
    private static final long STOP_WAIT_MILLIS = 20_000;

    private final String name;
    private final Framework framework;
    private final Path storage;
    private final Thread hook;

    private Launcher(String name, Framework framework, Path storage) {
        this.name = name;
        this.framework = framework;
        this.storage = storage;
        this.hook = new Thread(this::stopFramework, name + "-shutdown");
    }

    /**
     * Starts the runtime whose bundles and properties the exported jar on the class path holds, with
     * {@code properties} added (they win over the jar's).
     *
     * @throws StartupFailure when the runtime is not on the class path or a bundle cannot be installed or started
     */
    static Launcher start(String name, Map<String, String> properties) throws StartupFailure {
        Properties exported = new Properties();
        try (InputStream in = ClassLoader.getSystemResourceAsStream(PROPERTIES)) {
            if (in == null) {
                throw new StartupFailure("the " + name + " runtime is not on the class path (lib/" + name
                        + "/); start " + name + " with bin/" + name);
            }
            exported.load(in);
        } catch (IOException e) {
            throw new StartupFailure("cannot read the " + name + " runtime: " + e.getMessage());
        }
        Path storage;
        try {
            storage = Files.createTempDirectory("heartbeat-" + name + "-");
        } catch (IOException e) {
            throw new StartupFailure("cannot create the framework's storage directory: " + e.getMessage());
        }
        quietJavaLogging();
        Map<String, String> config = new HashMap<>();
        for (String key : exported.stringPropertyNames()) {
            if (!key.startsWith("launch.")) {
                config.put(key, exported.getProperty(key));
            }
        }
        config.putAll(properties);
        // SLF4J (Jetty and OSHI log through it) reads its provider from system properties, not framework ones
        config.forEach((k, v) -> {
            if (k.startsWith("slf4j.") || k.startsWith("org.slf4j.")) {
                System.setProperty(k, v);
            }
        });
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new StartupFailure("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(config);
        Launcher launcher = new Launcher(name, framework, storage);
        Runtime.getRuntime().addShutdownHook(launcher.hook);
        try {
            framework.init();
            List<Bundle> bundles = launcher.install(exported.getProperty("launch.bundles", ""));
            framework.start();
            for (Bundle b : bundles) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start(Bundle.START_ACTIVATION_POLICY);
                }
            }
        } catch (BundleException | IOException e) {
            launcher.close();
            throw new StartupFailure("the " + name + " runtime cannot start: " + e.getMessage());
        }
        return launcher;
    }

    private List<Bundle> install(String list) throws BundleException, IOException {
        BundleContext context = framework.getBundleContext();
        List<Bundle> out = new ArrayList<>();
        for (String entry : list.split(",")) {
            String path = entry.strip();
            if (path.isEmpty()) {
                continue;
            }
            URL url = ClassLoader.getSystemResource(path);
            if (url == null) {
                throw new IOException(path + " is missing from the runtime jar");
            }
            if ("file".equals(url.getProtocol())) {
                // an unpacked runtime (the distribution's lib/hbd/): the framework reads the bundle where it lies
                out.add(context.installBundle("reference:" + url));
            } else {
                try (InputStream in = url.openStream()) {
                    out.add(context.installBundle("heartbeat:" + path, in));
                }
            }
        }
        return out;
    }

    /**
     * Waits until the runtime reports that it is ready, or that it cannot start.
     *
     * @throws StartupFailure with the runtime's own message, or after {@code timeout} with what is missing
     */
    Ready awaitReady(Duration timeout) throws StartupFailure, InterruptedException {
        BundleContext context = framework.getBundleContext();
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + Condition.class.getName() + ")(|("
                + Condition.CONDITION_ID + "=" + Launch.READY_CONDITION + ")(" + Condition.CONDITION_ID + "="
                + Launch.FAILURE_CONDITION + ")))";
        ServiceTracker<Condition, Condition> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open();
        try {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                ServiceReference<Condition>[] refs = tracker.getServiceReferences();
                if (refs != null) {
                    for (ServiceReference<Condition> r : refs) {
                        if (Launch.FAILURE_CONDITION.equals(r.getProperty(Condition.CONDITION_ID))) {
                            throw new StartupFailure(String.valueOf(r.getProperty(Launch.FAILURE_MESSAGE)));
                        }
                    }
                    for (ServiceReference<Condition> r : refs) {
                        return new Ready(intOf(r.getProperty(Launch.UDP_PORT)), intOf(r.getProperty(Launch.HTTP_PORT)),
                                intOf(r.getProperty(Launch.WS_PORT)));
                    }
                }
                tracker.waitForService(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            }
            throw new StartupFailure(name + " was not ready within " + timeout.toSeconds() + " s" + missing());
        } finally {
            tracker.close();
        }
    }

    /** What a runtime that did not get ready lacks, as far as the launcher can see it. */
    private String missing() {
        List<String> problems = new ArrayList<>();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (b.getState() == Bundle.INSTALLED) {
                problems.add("bundle " + b.getSymbolicName() + " did not resolve");
            }
        }
        return problems.isEmpty() ? " (see the log)" : ": " + String.join("; ", problems);
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : -1;
    }

    /**
     * Runs the runtime's actions for a signal ({@code HUP}): every {@link Runnable} service with
     * {@value Launch#SIGNAL} set to it, highest ranking first. One that throws does not keep the others from running.
     */
    void signal(String signal) {
        BundleContext context = framework.getBundleContext();
        ServiceReference<Runnable>[] refs;
        try {
            @SuppressWarnings("unchecked")
            ServiceReference<Runnable>[] found = (ServiceReference<Runnable>[]) context.getServiceReferences(
                    Runnable.class.getName(), "(" + Launch.SIGNAL + "=" + signal + ")");
            refs = found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return;
        }
        Arrays.sort(refs, Comparator.reverseOrder());
        for (ServiceReference<Runnable> r : refs) {
            Runnable action = context.getService(r);
            if (action == null) {
                continue;
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println(name + ": SIGHUP handler " + action.getClass().getName() + " failed: " + e);
            } finally {
                context.ungetService(r);
            }
        }
    }

    /** Turns SIGHUP into {@link #signal(String)}, where the JVM lets us (not under {@code -Xrs}). */
    void handleHangup() {
        try {
            Hangup.install(() -> signal("HUP"));
        } catch (LinkageError | IllegalArgumentException | IllegalStateException e) {
            System.err.println(name + ": cannot handle SIGHUP in this JVM (" + e + "); reload will not work");
        }
    }

    /** Kept apart so that a JVM without {@code sun.misc.Signal} fails here, inside the guard, and nowhere else. */
    private static final class Hangup {
        static void install(Runnable action) {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
        }
    }

    /** Waits until the framework stops (the shutdown hook, or a bundle stopping the system bundle). */
    void awaitStop() throws InterruptedException {
        FrameworkEvent e = framework.waitForStop(0);
        if (e.getType() == FrameworkEvent.ERROR && e.getThrowable() != null) {
            System.err.println(name + ": the framework stopped with an error: " + e.getThrowable());
        }
    }

    private void stopFramework() {
        try {
            stopServingHttp();
            framework.stop();
            framework.waitForStop(STOP_WAIT_MILLIS);
        } catch (BundleException e) {
            System.err.println(name + ": stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(storage);
    }

    /**
     * Stops the HTTP servers before anything else, so that while the parts behind them stop, clients get a refused
     * connection rather than the 404 of a resource that went away.
     */
    private void stopServingHttp() {
        BundleContext context = framework.getBundleContext();
        if (context == null) {
            return;
        }
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(
                    "org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    Bundle b = r.getBundle();
                    if (b != null && b.getState() == Bundle.ACTIVE) {
                        b.stop(Bundle.STOP_TRANSIENT);
                    }
                }
            }
        } catch (InvalidSyntaxException | BundleException | IllegalStateException e) {
            // the framework stops it anyway, a little later
        }
    }

    /** Stops the runtime now (it saves its state as on any stop). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the hook does it
        }
        stopFramework();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }

    /**
     * Some bundles (SPI Fly) report routine progress through java.util.logging; only warnings are worth a line on
     * standard error.
     */
    private static void quietJavaLogging() {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
        handler.setLevel(java.util.logging.Level.WARNING);
        root.addHandler(handler);
    }

    /** The framework, for tests. */
    Framework framework() {
        return framework;
    }
}
