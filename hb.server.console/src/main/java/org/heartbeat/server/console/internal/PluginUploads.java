package org.heartbeat.server.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Puts a bundle uploaded through the console into the plugin directory, where FileInstall installs (or updates) and
 * starts it within a couple of seconds, as if it had been copied there, and where it stays across restarts (the
 * framework's own storage is cleaned at every start). A bundle already in the directory is replaced in its file; a
 * new one is named after its symbolic name. A bundle of the runtime itself ({@code lib/hbd}) is refused: it changes
 * with hbd. The upload is written beside its target under a name FileInstall ignores and then moved into place, so
 * FileInstall never reads half a file. Called on Jetty's request threads; not thread-safe against two uploads of
 * the same bundle at once (the later one wins).
 */
final class PluginUploads {
    /** A bundle installed in the framework: its symbolic name and location. */
    record Installed(String symbolicName, String location) {
    }

    /** An upload that is not kept: the status and message to answer with. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Path dir;

    PluginUploads(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Keeps one uploaded bundle; {@code installed} is the framework's bundles at this moment.
     *
     * @return the file it now is in the plugin directory
     * @throws Refused if it is no bundle, or a bundle of the runtime
     */
    Path keep(InputStream upload, List<Installed> installed) throws IOException, Refused {
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, ".console-upload-", ".part");
        try {
            Files.copy(upload, part, StandardCopyOption.REPLACE_EXISTING);
            String name = symbolicName(part);
            if (name == null) {
                throw new Refused(400, "not a bundle: the jar's manifest has no Bundle-SymbolicName");
            }
            Path target = null;
            for (Installed b : installed) {
                if (!name.equals(b.symbolicName())) {
                    continue;
                }
                Path file = file(b.location());
                if (file != null && dir.equals(file.getParent())) {
                    target = file;
                } else if (!b.location().startsWith("inputstream:")) {
                    throw new Refused(409, name + " is part of hbd's runtime, not a plugin: it changes with hbd "
                            + "itself");
                }
            }
            if (target == null) {
                target = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** The symbolic name in a jar's manifest (without its directives), or null. */
    static String symbolicName(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                return null;
            }
            int semi = bsn.indexOf(';');
            return (semi < 0 ? bsn : bsn.substring(0, semi)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** The file of a {@code file:} location, or null for any other. */
    private static Path file(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
