package org.heartbeat.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginUploadsTest {
    @TempDir
    Path dir;

    static byte[] bundle(String bsn, String version) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
            m.getMainAttributes().putValue("Bundle-Version", version);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, m)) {
            // the manifest is all
        }
        return out.toByteArray();
    }

    @Test
    void aNewBundleIsNamedAfterItsSymbolicName() throws Exception {
        Path kept = new PluginUploads(dir).keep(new ByteArrayInputStream(bundle("org.example.a;singleton:=true",
                "1.0.0")), List.of());
        assertThat(kept).isEqualTo(dir.resolve("org.example.a.jar"));
        assertThat(PluginUploads.symbolicName(kept)).isEqualTo("org.example.a");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(kept);
        }
    }

    @Test
    void anUpdateReplacesThePluginsFile() throws Exception {
        Path old = dir.resolve("my-plugin-1.0.jar");
        Files.write(old, bundle("org.example.a", "1.0.0"));
        Path kept = new PluginUploads(dir).keep(new ByteArrayInputStream(bundle("org.example.a", "1.1.0")),
                List.of(new PluginUploads.Installed("org.example.a", old.toUri().toString())));
        assertThat(kept).isEqualTo(old.toAbsolutePath().normalize());
        try (JarFileRead r = new JarFileRead(kept)) {
            assertThat(r.version()).isEqualTo("1.1.0");
        }
    }

    @Test
    void runtimeBundlesAndNonBundlesAreRefused() throws Exception {
        PluginUploads uploads = new PluginUploads(dir);
        assertThatThrownBy(() -> uploads.keep(new ByteArrayInputStream(bundle("hb.server", "9.0.0")),
                List.of(new PluginUploads.Installed("hb.server", "reference:file:/opt/hb/lib/hbd/hb.server.jar"))))
                .isInstanceOf(PluginUploads.Refused.class).hasMessageContaining("hbd's runtime")
                .extracting(e -> ((PluginUploads.Refused) e).status).isEqualTo(409);
        assertThatThrownBy(() -> uploads.keep(new ByteArrayInputStream(bundle(null, null)), List.of()))
                .isInstanceOf(PluginUploads.Refused.class).hasMessageContaining("Bundle-SymbolicName");
        assertThatThrownBy(() -> uploads.keep(new ByteArrayInputStream("not a jar".getBytes()), List.of()))
                .isInstanceOf(PluginUploads.Refused.class);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** Reads Bundle-Version. */
    record JarFileRead(java.util.jar.JarFile jar) implements AutoCloseable {
        JarFileRead(Path p) throws IOException {
            this(new java.util.jar.JarFile(p.toFile()));
        }

        String version() throws IOException {
            return jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }

        @Override
        public void close() throws IOException {
            jar.close();
        }
    }
}
