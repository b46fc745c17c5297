package dev.triage.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/** A YAML map with string keys at a path; a key written with no value counts as absent. */
final class ConfigSection {
    static final String TOP_LEVEL_PATH = "(top level)";

    private final ReadContext context;
    private final String path;
    private final Map<String, Object> entries;

    private ConfigSection(ReadContext context, String path, Map<String, Object> entries) {
        this.context = context;
        this.path = path;
        this.entries = entries;
    }

    static ConfigSection of(ReadContext context, String path, Map<?, ?> raw) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : raw.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                String where = path.isEmpty() ? TOP_LEVEL_PATH : path;
                throw context.error(where, Expected.STRING_KEYS, "the key " + Found.value(entry.getKey()));
            }
            entries.put(key, entry.getValue());
        }
        return new ConfigSection(context, path, entries);
    }

    static ConfigSection empty(ReadContext context, String path) {
        return new ConfigSection(context, path, Map.of());
    }

    ReadContext context() {
        return context;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The entries as written, without {@code os.environ/} resolution. */
    Map<String, Object> raw() {
        return entries;
    }

    Optional<ConfigNode> optional(String key) {
        Object value = entries.get(key);
        return value == null ? Optional.empty() : Optional.of(ConfigNode.of(context, pathOf(key), value));
    }

    ConfigNode required(String key, String expected) {
        return optional(key).orElseThrow(() -> context.error(pathOf(key), expected, Found.NOTHING));
    }

    /** A nested section; absent or empty reads as a section with no keys. */
    ConfigSection section(String key) {
        return optional(key).map(ConfigNode::section).orElseGet(() -> empty(context, pathOf(key)));
    }

    OptionalInt optionalInt(String key, ToIntFunction<ConfigNode> read) {
        Optional<ConfigNode> node = optional(key);
        return node.isPresent() ? OptionalInt.of(read.applyAsInt(node.get())) : OptionalInt.empty();
    }

    OptionalLong optionalLong(String key, ToLongFunction<ConfigNode> read) {
        Optional<ConfigNode> node = optional(key);
        return node.isPresent() ? OptionalLong.of(read.applyAsLong(node.get())) : OptionalLong.empty();
    }

    /** LiteLLM has many keys Triage does not use; real configs must still load. */
    void warnAboutKeysOtherThan(Collection<String> known) {
        for (String key : entries.keySet()) {
            if (known.contains(key)) continue;
            context.ignore(pathOf(key), NearestKey.to(key, known).map(guess -> "did you mean " + guess + "?"));
        }
    }

    /** In Triage's own sections an unknown key is a typo, not a LiteLLM feature. */
    void rejectKeysOtherThan(Collection<String> known) {
        for (String key : entries.keySet()) {
            if (!known.contains(key)) {
                throw context.error(pathOf(key), Expected.oneOf(known), Found.UNKNOWN_KEY
                        + NearestKey.to(key, known).map(guess -> " (did you mean " + guess + "?)").orElse(""));
            }
        }
    }
}
