package org.heartbeat.itest.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.heartbeat.api.MetricSource;
import org.heartbeat.itest.client.plugin.TestPlugin;

/**
 * Builds plugin bundles from {@link TestPlugin}'s class file (or another plugin class of the test bundle): a
 * manifest, the class and a hand-written DS descriptor of a component like a real plugin's (configuration PID
 * {@code org.heartbeat.plugin.NAME}, policy REQUIRE, service property {@code heartbeat.plugin.name}).
 */
final class PluginBundles {

    private PluginBundles() {
    }

    static String symbolicName(String plugin) {
        return "itest.plugin." + plugin;
    }

    /** Writes the bundle of plugin {@code name} next to {@code target}, then moves it into place in one step. */
    static void drop(Path target, String name, String version) throws IOException {
        drop(target, name, version, TestPlugin.class);
    }

    /** The same with another plugin class: a public class of the plugin package with a public constructor. */
    static void drop(Path target, String name, String version, Class<?> plugin) throws IOException {
        String classEntry = plugin.getName().replace('.', '/') + ".class";
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName(name));
        a.putValue("Bundle-Version", version);
        a.putValue("Import-Package", "org.heartbeat.api;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        a.putValue("Service-Component", "OSGI-INF/plugin.xml");
        a.putValue("Require-Capability",
                "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        Path tmp = Files.createTempFile(target.getParent().getParent(), "plugin", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, m);
                InputStream classFile = plugin.getClassLoader().getResourceAsStream(classEntry)) {
            jar.putNextEntry(new JarEntry(classEntry));
            classFile.transferTo(jar);
            jar.putNextEntry(new JarEntry("OSGI-INF/plugin.xml"));
            jar.write(descriptor(name, plugin).getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String descriptor(String name, Class<?> plugin) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s"
                    configuration-policy="require" configuration-pid="%s"%s>
                  <implementation class="%s"/>
                  <service><provide interface="%s"/></service>
                  <property name="%s" type="String" value="%s"/>
                </scr:component>
                """.formatted(symbolicName(name), MetricSource.CONFIG_PID_PREFIX + name,
                plugin == TestPlugin.class ? " activate=\"activate\"" : "", plugin.getName(),
                MetricSource.class.getName(), MetricSource.NAME, name);
    }
}
