package org.heartbeat.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The installation directory: the {@code heartbeat.home} system property that bin/hbd and bin/hbc set,
 * else found from where this class was loaded ({@code HOME/lib/cli/hb.cli.jar}).
 */
final class Home {
    private Home() {
    }

    static Path dir() {
        String property = System.getProperty("heartbeat.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = jar.getParent() == null ? null : jar.getParent().getParent();
            if (lib != null && lib.getFileName() != null && lib.getFileName().toString().equals("lib")
                    && Files.isDirectory(lib)) {
                return lib.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
