package dev.triage.core.tck;

import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * Every command sent through a {@link #recording recording} backend, from any number of threads, with the
 * outcome it got; {@link HistoryChecker} then puts them in commit order and judges them. Snapshots taken
 * between commands can be {@link #attach attached}: the checker compares the model with each at its commit.
 *
 * <p>Settings served through a recording backend ({@link SchedulerBackend#serve}) are recorded with every command
 * sent through the same backend: a serve waits until that backend's commands in flight are answered, so each
 * entry knows the settings its command carried.
 */
public final class History {

    private final Queue<HistoryEntry> entries = new ConcurrentLinkedQueue<>();
    private final Map<String, Map<Long, GroupSnapshot>> snapshots = new ConcurrentHashMap<>();
    /** Per backend recorded (by identity: backends do not override equals), what it serves. */
    private final Map<SchedulerBackend, Served> served = new ConcurrentHashMap<>();

    /** The settings one backend was told to serve, and a lock that keeps them still while a command runs. */
    private static final class Served {
        final StampedLock lock = new StampedLock();
        final Map<String, GroupSpec> specs = new ConcurrentHashMap<>();
    }

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
        private final Served servedByInner;

        Recorder(SchedulerBackend inner, Consumer<HistoryEntry> onEntry) {
            super(inner);
            this.onEntry = onEntry;
            this.servedByInner = served.computeIfAbsent(inner, b -> new Served());
        }

        @Override
        public CompletionStage<Outcome> execute(String group, Command command) {
            // A stamp, not a reentrant read lock: the answer may come on another thread, which then unlocks.
            long stamp = servedByInner.lock.readLock();
            GroupSpec callerSpec = servedByInner.specs.get(group);
            long start = System.nanoTime();
            CompletionStage<Outcome> sent;
            try {
                sent = inner.execute(group, command);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            // whenComplete's stage completes after the entry is in: a caller's next command starts after it.
            return sent.whenComplete((outcome, error) -> {
                servedByInner.lock.unlockRead(stamp);
                HistoryEntry entry = new HistoryEntry(group, command, start, System.nanoTime(), outcome, error,
                        callerSpec);
                entries.add(entry);
                if (outcome != null) onEntry.accept(entry);
            });
        }

        @Override
        public void serve(Collection<GroupSpec> specs) {
            long stamp = servedByInner.lock.writeLock();
            try {
                inner.serve(specs);
                for (GroupSpec spec : specs) servedByInner.specs.put(spec.name(), spec);
            } finally {
                servedByInner.lock.unlockWrite(stamp);
            }
        }
    }
}
