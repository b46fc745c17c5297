package dev.triage.core.tck;


import dev.triage.core.spi.Command;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what goes through it: commands by kind (and how many of them the store answered as duplicates or with
 * a grant of their own ticket), and the notice batches delivered to subscribers.
 */
public final class CountingBackend extends ForwardingBackend {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public CountingBackend(SchedulerBackend inner) {
        super(inner);
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        String kind = command.getClass().getSimpleName();
        add(kind);
        return inner.execute(group, command).whenComplete((outcome, error) -> {
            if (outcome == null) return;
            if (outcome.duplicate()) add(kind + ":duplicate");
            if (outcome.result() instanceof Result.Granted) add(kind + ":granted");
        });
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        return inner.subscribe(nodeId, (group, notices) -> {
            add("noticeBatches");
            counts.computeIfAbsent("notices", k -> new LongAdder()).add(notices.size());
            listener.onNotices(group, notices);
        });
    }

    private void add(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Commands of this kind sent through here. */
    public long executed(Class<? extends Command> kind) {
        return count(kind.getSimpleName());
    }

    /** Of those, the ones the store answered as duplicates (it changed nothing). */
    public long duplicates(Class<? extends Command> kind) {
        return count(kind.getSimpleName() + ":duplicate");
    }

    /** Of those, the ones whose own ticket was granted in the same command. */
    public long grantedAtOnce(Class<? extends Command> kind) {
        return count(kind.getSimpleName() + ":granted");
    }

    public long noticeBatches() {
        return count("noticeBatches");
    }

    /** Commands that changed the store, i.e. took a commit. */
    public long committed() {
        long total = 0;
        for (var entry : counts.entrySet()) {
            String key = entry.getKey();
            if (Character.isUpperCase(key.charAt(0)) && !key.contains(":")) total += entry.getValue().sum();
            if (key.endsWith(":duplicate")) total -= entry.getValue().sum();
        }
        return total;
    }

    public long count(String key) {
        LongAdder adder = counts.get(key);
        return adder == null ? 0 : adder.sum();
    }

    @Override
    public String toString() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((key, value) -> sorted.put(key, value.sum()));
        return sorted.toString();
    }
}
