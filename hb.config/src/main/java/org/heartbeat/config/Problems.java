package org.heartbeat.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors and warnings found while reading one file. */
final class Problems {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(String key, int line, String message) {
        errors.add(new ConfigProblem(key, line, message));
    }

    void warning(String key, int line, String message) {
        warnings.add(new ConfigProblem(key, line, message));
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }
}
