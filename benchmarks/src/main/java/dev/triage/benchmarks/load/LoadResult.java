package dev.triage.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What a run of calls got.
 *
 * @param sent       calls sent (in a closed loop, those sent after the warm-up)
 * @param outcomes   answers counted by {@link Answer#outcome()}
 * @param latency    microseconds from send to the answer's last byte
 * @param seconds    from the first measured send to the last answer
 * @param answers    each call's answer, by sequence number (burst runs only; null where none came)
 */
record LoadResult(long sent, Map<String, Long> outcomes, Histogram latency, double seconds, List<Answer> answers) {

    long answered() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    long unanswered() {
        return sent - answered();
    }

    long count(String outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    /** Answers with a status outside 2xx (failures without a status are not among them). */
    long non2xx() {
        return outcomes.entrySet().stream()
                .filter(e -> e.getKey().matches("[0-9]+") && !e.getKey().startsWith("2"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Answers without any status (connection failures, timeouts, incomplete bodies). */
    long failures() {
        return outcomes.entrySet().stream().filter(e -> !e.getKey().matches("[0-9]+"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    double perSecond() {
        return answered() / seconds;
    }

    double percentileMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e3;
    }
}
