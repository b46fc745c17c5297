package dev.triage.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, order-keeping, unmodifiable copies of YAML maps and lists (which may hold nulls). */
final class FrozenYaml {
    /** Deeper than this is taken for a recursive structure (YAML anchors can make one). */
    static final int MAX_DEPTH = 64;

    private FrozenYaml() {}

    static Map<String, Object> freeze(Map<String, Object> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) freeze(map, 0);
        return frozen;
    }

    static boolean isWithinMaxDepth(Object value) {
        return depthWithin(value, 0);
    }

    private static boolean depthWithin(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(child -> depthWithin(child, depth + 1));
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(child -> depthWithin(child, depth + 1));
        }
        return true;
    }

    private static Object freeze(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(key, freeze(child, depth + 1)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(child -> copy.add(freeze(child, depth + 1)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
