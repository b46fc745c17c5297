package dev.triage.config;

/**
 * A configuration that Triage cannot run with. The message names the file, the path inside
 * it, what was expected and what was found:
 * {@code config.yaml: model_list[2].litellm_params.rpm: expected a positive integer, found -5}.
 * For a YAML syntax error the path is {@code line:column}; for a file that cannot be read the
 * path is empty and left out of the message.
 */
public final class ConfigException extends RuntimeException {
    private final String file;
    private final String path;
    private final String expected;
    private final String found;

    public ConfigException(String file, String path, String expected, String found) {
        super(message(file, path, expected, found));
        this.file = file;
        this.path = path;
        this.expected = expected;
        this.found = found;
    }

    ConfigException(String file, String path, String expected, String found, Throwable cause) {
        this(file, path, expected, found);
        initCause(cause);
    }

    private static String message(String file, String path, String expected, String found) {
        String where = path.isEmpty() ? file : file + ": " + path;
        return where + ": expected " + expected + ", found " + found;
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
