package org.heartbeat.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Parses a YAML file into a {@link Section} tree that remembers lines; knows nothing of any key. */
final class YamlFile {
    private static final int MAX_SIZE = 4 * 1024 * 1024;

    private YamlFile() {
    }

    /** The root section of the file, or of an empty document when {@code file} is null. */
    static Section read(Path file, Problems problems) throws ConfigException {
        if (file == null) {
            return new Section("", null, problems);
        }
        String text;
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new ConfigException(file, List.of(new ConfigProblem("", 0, "larger than 4 MB; is this the right file?")));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, List.of(new ConfigProblem("", 0, "no such file")));
        } catch (IOException e) {
            throw new ConfigException(file, List.of(new ConfigProblem("", 0, "cannot read: " + e.getMessage())));
        }
        return parse(file, text, problems);
    }

    static Section parse(Path file, String text, Problems problems) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_SIZE);
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String what = e.getProblem() == null ? "not valid YAML" : "not valid YAML: " + e.getProblem();
            throw new ConfigException(file, List.of(new ConfigProblem("", line, what)));
        } catch (YAMLException | IOException e) {
            throw new ConfigException(file, List.of(new ConfigProblem("", 0, "not valid YAML: " + e.getMessage())));
        }
        if (root != null && !(root instanceof MappingNode)) {
            throw new ConfigException(file, List.of(new ConfigProblem("", Section.line(root),
                    "the file must be a mapping of keys (key: value lines)")));
        }
        return new Section("", root, problems);
    }

    /** Whether users other than the owner may read the file (false where POSIX permissions do not exist). */
    static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
