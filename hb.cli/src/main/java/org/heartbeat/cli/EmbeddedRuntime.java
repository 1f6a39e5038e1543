package org.heartbeat.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Starts an exported OSGi runtime ({@code lib/hbd.jar} or {@code lib/hbc.jar}, on the class path) in this
 * JVM, handing it its settings as system properties, which the framework offers to bundles as
 * framework properties. Returns when the framework stops.
 */
final class EmbeddedRuntime {
    private static final String LAUNCHER = "aQute.launcher.pre.EmbeddedLauncher";

    private EmbeddedRuntime() {
    }

    static void run(String name, Map<String, String> properties) throws IOException {
        Path storage = Files.createTempDirectory("heartbeat-" + name + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(storage), "framework-storage-cleanup"));
        System.setProperty("org.osgi.framework.storage", storage.toString());
        properties.forEach(System::setProperty);
        quietJavaLogging();
        Class<?> launcher;
        try {
            launcher = Class.forName(LAUNCHER);
        } catch (ClassNotFoundException e) {
            throw new IOException("the " + name + " runtime is not on the class path (lib/" + name
                    + ".jar); start " + name + " with bin/" + name);
        }
        try {
            launcher.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw new IOException(name + " runtime failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot start the " + name + " runtime: " + e, e);
        }
    }

    /**
     * Some bundles (SPI Fly) report routine progress through java.util.logging; only warnings are worth
     * a line on standard error.
     */
    private static void quietJavaLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }
}
