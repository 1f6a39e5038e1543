package org.heartbeat.plugin.nagios.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the program of a check. An absolute path is taken as it is; a bare name is looked up, first match wins,
 * in {@code plugin_path}, then in {@link #STANDARD_DIRECTORIES}, then in {@code PATH}.
 *
 * <pre>{@code
 * new CommandResolver(List.of(Path.of("/opt/custom/libexec")), System.getenv("PATH")).resolve("check_load")
 * // Resolution[path=/usr/lib/nagios/plugins/check_load, problem=null]
 * }</pre>
 */
final class CommandResolver {
    /**
     * Where packages and source installs put the plugins: Debian, Ubuntu and SUSE (and EPEL on 32-bit systems),
     * RHEL and Fedora (EPEL) on 64-bit systems, Alpine and Arch, a Nagios Core or {@code nagios-plugins} source
     * install, FreeBSD ports, and Homebrew on Apple silicon and on Intel Macs.
     */
    static final List<Path> STANDARD_DIRECTORIES = List.of(
            Path.of("/usr/lib/nagios/plugins"),
            Path.of("/usr/lib64/nagios/plugins"),
            Path.of("/usr/lib/monitoring-plugins"),
            Path.of("/usr/local/nagios/libexec"),
            Path.of("/usr/local/libexec/nagios"),
            Path.of("/opt/homebrew/sbin"),
            Path.of("/usr/local/sbin"));

    /**
     * Where a command was found, or why it was not.
     *
     * @param path the program, or null
     * @param problem why there is none, or null
     */
    record Resolution(Path path, String problem) {
    }

    private final List<Path> pluginPath;
    private final List<Path> searchPath;

    /**
     * @param pluginPath the directories of {@code plugin_path}
     * @param pathVariable the value of {@code PATH}, or null
     */
    CommandResolver(List<Path> pluginPath, String pathVariable) {
        this.pluginPath = List.copyOf(pluginPath);
        List<Path> dirs = new ArrayList<>(pluginPath);
        dirs.addAll(STANDARD_DIRECTORIES);
        if (pathVariable != null) {
            for (String entry : pathVariable.split(File.pathSeparator)) {
                // an empty or relative PATH entry means the working directory to a shell: not here
                if (!entry.isEmpty() && entry.startsWith("/")) {
                    try {
                        dirs.add(Path.of(entry));
                    } catch (InvalidPathException e) {
                        // not a directory anyone can mean
                    }
                }
            }
        }
        this.searchPath = dirs.stream().distinct().toList();
    }

    /** The directories looked in, in order. */
    List<Path> searchPath() {
        return searchPath;
    }

    /** The program of {@code command}: an absolute path or a name without {@code /}. */
    Resolution resolve(String command) {
        if (command.startsWith("/")) {
            Path p = Path.of(command);
            if (!Files.isRegularFile(p)) {
                return new Resolution(null, "check command " + command + " not found");
            }
            return Files.isExecutable(p) ? new Resolution(p, null)
                    : new Resolution(null, "check command " + command + " is not executable");
        }
        Path notExecutable = null;
        for (Path dir : searchPath) {
            Path p = dir.resolve(command);
            if (Files.isRegularFile(p)) {
                if (Files.isExecutable(p)) {
                    return new Resolution(p, null);
                }
                if (notExecutable == null) {
                    notExecutable = p;
                }
            }
        }
        String where = (pluginPath.isEmpty() ? "" : "plugin_path ("
                + pluginPath.stream().map(Path::toString).collect(Collectors.joining(", ")) + "), ")
                + STANDARD_DIRECTORIES.stream().map(Path::toString).collect(Collectors.joining(", ")) + " or PATH";
        return new Resolution(null, "check command " + command + " not found in " + where
                + (notExecutable == null ? "" : " (" + notExecutable + " is not executable)")
                + ": install the monitoring plugins, or add the check's directory to plugin_path");
    }
}
