package dev.triage.core.tck;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a checked history contained (commands by result, tickets by how they ended, grants, cooldowns), so that a
 * randomised test can show it exercised what it claims to.
 */
public record HistorySummary(Map<String, Long> counts) {

    public HistorySummary {
        counts = Map.copyOf(counts);
    }

    public static HistorySummary empty() {
        return new HistorySummary(Map.of());
    }

    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    public HistorySummary plus(HistorySummary other) {
        Map<String, Long> sum = new TreeMap<>(counts);
        other.counts.forEach((key, value) -> sum.merge(key, value, Long::sum));
        return new HistorySummary(sum);
    }

    @Override
    public String toString() {
        return new TreeMap<>(counts).toString();
    }
}
