package dev.triage.config;

import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How a value is shown as the "found ..." half of a {@link ConfigException}. */
final class Found {
    static final String NOTHING = "nothing";
    static final String UNSET = "it unset";
    static final String EMPTY_LIST = "an empty list";
    static final String NO_SUCH_FILE = "no such file";
    static final String DIRECTORY = "a directory";
    static final String NOT_UTF_8 = "bytes that are not UTF-8";
    static final String UNKNOWN_KEY = "a key Triage does not know";
    static final String BOTH = "both";
    static final String TOO_DEEP = "a deeper or recursive structure";
    private static final int MAX_SHOWN_CHARS = 80;

    private Found() {}

    /** The value itself for scalars; its kind for collections. */
    static String value(Object value) {
        if (value instanceof String text) {
            return quoted(text);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return kind(value);
    }

    /** Only the kind of a value, for secrets. */
    static String kind(Object value) {
        if (value == null) {
            return NOTHING;
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Set) {
            return "a set";
        }
        if (value instanceof Date) {
            return "a timestamp";
        }
        if (value instanceof byte[]) {
            return "binary data";
        }
        return "a " + value.getClass().getSimpleName();
    }

    static String quoted(String text) {
        String shown = text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "..." : text;
        return "\"" + shown + "\"";
    }

    static String fromEnvironment(String shown, String variable) {
        return shown + " (from os.environ/" + variable + ")";
    }

    static String duplicateKeyAt(String key, int line, int column) {
        return "\"" + key + "\" again at line " + line + ", column " + column;
    }

    static String alsoUsedBy(String id, String firstPath) {
        return quoted(id) + ", already the id of " + firstPath;
    }

    static String notImplementedStrategy(String name) {
        return quoted(name) + ", a LiteLLM strategy Triage does not implement yet";
    }
}
