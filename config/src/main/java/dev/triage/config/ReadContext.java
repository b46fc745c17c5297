package dev.triage.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What every reader shares while one file is read: its name, the environment, the warnings. */
final class ReadContext {
    static final String NOT_USED = "not used by Triage, ignored";

    private final String file;
    private final Map<String, String> env;
    private final List<String> warnings = new ArrayList<>();

    ReadContext(String file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    String file() {
        return file;
    }

    String environmentVariable(String name) {
        return env.get(name);
    }

    ConfigException error(String path, String expected, String found) {
        return new ConfigException(file, path, expected, found);
    }

    void warn(String path, String what) {
        warnings.add(file + ": " + path + ": " + what);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
