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
 * Builds plugin bundles from {@link TestPlugin}'s class file: a manifest, the class and a hand-written DS
 * descriptor of a component like a real plugin's (configuration PID {@code org.heartbeat.plugin.NAME},
 * policy REQUIRE, service property {@code heartbeat.plugin.name}).
 */
final class PluginBundles {
    private static final String CLASS_ENTRY = TestPlugin.class.getName().replace('.', '/') + ".class";

    private PluginBundles() {
    }

    static String symbolicName(String plugin) {
        return "itest.plugin." + plugin;
    }

    /** Writes the bundle of plugin {@code name} next to {@code target}, then moves it into place in one step. */
    static void drop(Path target, String name, String version) throws IOException {
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
                InputStream classFile = TestPlugin.class.getClassLoader().getResourceAsStream(CLASS_ENTRY)) {
            jar.putNextEntry(new JarEntry(CLASS_ENTRY));
            classFile.transferTo(jar);
            jar.putNextEntry(new JarEntry("OSGI-INF/plugin.xml"));
            jar.write(descriptor(name).getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String descriptor(String name) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s"
                    configuration-policy="require" configuration-pid="%s" activate="activate">
                  <implementation class="%s"/>
                  <service><provide interface="%s"/></service>
                  <property name="%s" type="String" value="%s"/>
                </scr:component>
                """.formatted(symbolicName(name), MetricSource.CONFIG_PID_PREFIX + name, TestPlugin.class.getName(),
                MetricSource.class.getName(), MetricSource.NAME, name);
    }
}
