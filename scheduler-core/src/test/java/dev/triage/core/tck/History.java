package dev.triage.core.tck;


import dev.triage.core.GroupSnapshot;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Every command sent through a {@link #recording recording} backend, from any number of threads, with the
 * outcome it got; {@link HistoryChecker} then puts them in commit order and judges them. Snapshots taken
 * between commands can be {@link #attach attached}: the checker compares the model with each at its commit.
 */
public final class History {

    private final Queue<HistoryEntry> entries = new ConcurrentLinkedQueue<>();
    private final Map<String, Map<Long, GroupSnapshot>> snapshots = new ConcurrentHashMap<>();

    public SchedulerBackend recording(SchedulerBackend backend) {
        return recording(backend, entry -> {
        });
    }

    /** @param onEntry sees each entry once recorded, before the caller gets its outcome */
    public SchedulerBackend recording(SchedulerBackend backend, Consumer<HistoryEntry> onEntry) {
        return new Recorder(backend, onEntry);
    }

    /** Adds an entry recorded elsewhere, or made up to test the checker. */
    public void add(HistoryEntry entry) {
        entries.add(entry);
    }

    public List<HistoryEntry> entries() {
        return new ArrayList<>(entries);
    }

    public void attach(GroupSnapshot snapshot) {
        snapshots.computeIfAbsent(snapshot.group(), g -> new ConcurrentHashMap<>()).put(snapshot.commit(), snapshot);
    }

    GroupSnapshot snapshotAt(String group, long commit) {
        return snapshots.getOrDefault(group, Map.of()).get(commit);
    }

    private final class Recorder extends ForwardingBackend {
        private final Consumer<HistoryEntry> onEntry;

        Recorder(SchedulerBackend inner, Consumer<HistoryEntry> onEntry) {
            super(inner);
            this.onEntry = onEntry;
        }

        @Override
        public CompletionStage<Outcome> execute(String group, Command command) {
            long start = System.nanoTime();
            CompletionStage<Outcome> sent;
            try {
                sent = inner.execute(group, command);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            // whenComplete's stage completes after the entry is in: a caller's next command starts after it.
            return sent.whenComplete((outcome, error) -> {
                HistoryEntry entry = new HistoryEntry(group, command, start, System.nanoTime(), outcome, error);
                entries.add(entry);
                if (outcome != null) onEntry.accept(entry);
            });
        }
    }
}
