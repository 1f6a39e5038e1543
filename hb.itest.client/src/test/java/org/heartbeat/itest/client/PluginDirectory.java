package org.heartbeat.itest.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.heartbeat.api.MetricSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/** The running runtime's watched plugin directory (felix.fileinstall.dir) and the bundles it brings. */
final class PluginDirectory {
    private final BundleContext context;
    private final Path dir;

    PluginDirectory(BundleContext context) throws IOException {
        this.context = context;
        this.dir = Path.of(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(dir);
    }

    Path jar(String plugin) {
        return dir.resolve(plugin + ".jar");
    }

    /** Builds the test plugin's bundle for {@code plugin} and moves it into the directory. */
    Path drop(String plugin, String version) throws IOException {
        Path jar = jar(plugin);
        PluginBundles.drop(jar, plugin, version);
        return jar;
    }

    /** The same with another plugin class of the test bundle's plugin package. */
    Path drop(String plugin, String version, Class<?> implementation) throws IOException {
        Path jar = jar(plugin);
        PluginBundles.drop(jar, plugin, version, implementation);
        return jar;
    }

    Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    boolean active(String symbolicName) {
        return bundle(symbolicName).map(b -> b.getState() == Bundle.ACTIVE).orElse(false);
    }

    /** Whether a metric plugin service of that name is registered. */
    boolean serviceRegistered(String plugin) throws InvalidSyntaxException {
        return !context.getServiceReferences(MetricSource.class, "(" + MetricSource.NAME + "=" + plugin + ")")
                .isEmpty();
    }

    /** Deletes the jar, if there, and waits for its bundle to be uninstalled. */
    void remove(String plugin, String symbolicName) throws IOException {
        Files.deleteIfExists(jar(plugin));
        await().atMost(Duration.ofSeconds(10)).until(() -> bundle(symbolicName).isEmpty());
    }
}
