package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** The plugin directory is watched: a bundle dropped in starts, one replaced is updated, one removed goes. */
class HotDeployTest {
    private static final String NAME = "itest.hotdeploy";

    @InjectBundleContext
    BundleContext context;

    @Test
    void aBundleDroppedIntoThePluginDirectoryStartsAndGoesWhenRemoved() throws Exception {
        Path dir = Path.of(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(dir);
        Path jar = dir.resolve(NAME + ".jar");

        drop(jar, "1.0.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> bundle().map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
        assertThat(bundle().orElseThrow().getVersion().toString()).isEqualTo("1.0.0");

        drop(jar, "1.1.0");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> bundle().map(b -> b.getVersion().toString().equals("1.1.0")
                        && b.getState() == Bundle.ACTIVE).orElse(false));

        Files.delete(jar);
        await().atMost(Duration.ofSeconds(10)).until(() -> bundle().isEmpty());
    }

    private Optional<Bundle> bundle() {
        return Arrays.stream(context.getBundles()).filter(b -> NAME.equals(b.getSymbolicName())).findFirst();
    }

    /** Writes a bundle with nothing but a manifest, then moves it into place in one step. */
    private static void drop(Path target, String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", NAME);
        a.putValue("Bundle-Version", version);
        Path tmp = Files.createTempFile(target.getParent().getParent(), "bundle", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
