package org.heartbeat.itest.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.heartbeat.itest.server.listener.RecordingListener;
import org.heartbeat.server.api.event.HostEventListener;

/**
 * Builds a bundle holding {@link RecordingListener} and a DS descriptor that registers it as a
 * {@link HostEventListener} (and as a {@code Supplier} the tests read it through), as a third party's listener
 * bundle would: it imports the server API and nothing of the server.
 */
final class ListenerBundles {
    static final String SYMBOLIC_NAME = "itest.listener";
    private static final String CLASS_ENTRY = RecordingListener.class.getName().replace('.', '/') + ".class";

    private ListenerBundles() {
    }

    static InputStream jar() throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.heartbeat.server.api.event;version=\"[1.0,2)\"");
        a.putValue("Service-Component", "OSGI-INF/listener.xml");
        a.putValue("Require-Capability",
                "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, m);
                InputStream classFile = RecordingListener.class.getClassLoader().getResourceAsStream(CLASS_ENTRY)) {
            jar.putNextEntry(new JarEntry(CLASS_ENTRY));
            classFile.transferTo(jar);
            jar.putNextEntry(new JarEntry("OSGI-INF/listener.xml"));
            jar.write("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.listener"
                        immediate="true">
                      <implementation class="%s"/>
                      <service>
                        <provide interface="%s"/>
                        <provide interface="java.util.function.Supplier"/>
                      </service>
                      <property name="%s" type="String" value="itest"/>
                    </scr:component>
                    """.formatted(RecordingListener.class.getName(), HostEventListener.class.getName(),
                    HostEventListener.NAME).getBytes(StandardCharsets.UTF_8));
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
