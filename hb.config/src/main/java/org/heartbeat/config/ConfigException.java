package org.heartbeat.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final transient List<ConfigProblem> problems;

    public ConfigException(Path file, List<ConfigProblem> problems) {
        super(message(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    private static String message(Path file, List<ConfigProblem> problems) {
        String where = file == null ? "configuration" : file.toString();
        return problems.stream().map(p -> where + ": " + p).collect(Collectors.joining("\n"));
    }

    /** The file, or null when the configuration did not come from a file. */
    public Path file() {
        return file;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
