package dev.triage.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** A key Triage does not use: a warning, with the key it most likely meant when there is one. */
    void ignore(String path, Optional<String> guess) {
        warn(path, NOT_USED + guess.map(text -> "; " + text).orElse(""));
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
