package dev.triage.core.memory;


import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.UnknownGroupException;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.PendingTicks;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The single-process backend: each group's state behind its own lock, commands applied on the caller's
 * thread, notices delivered right after the lock is let go. Admission is O(log n) in waiting tickets.
 */
public final class InMemoryBackend implements SchedulerBackend {

    /** Replaced whole when a group is added, so that commands read it without a lock. */
    private volatile Map<String, Slot> slots = Map.of();
    private final long epoch;
    private final StoreClock clock;
    private final Map<String, List<NoticeListener>> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final PendingTicks ticks;

    private static final class Slot {
        final String group;
        final GroupState state;
        /** The settings this backend's callers bring: the latest it was given. */
        volatile GroupSpec spec;

        Slot(GroupSpec spec, long epoch) {
            this.group = spec.name();
            this.state = new GroupState(spec, epoch);
            this.spec = spec;
        }
    }

    /**
     * @param epoch identifies this backend's states; a restarted in-memory backend should use a new one
     */
    public InMemoryBackend(Collection<GroupSpec> groups, StoreClock clock, long epoch) {
        this.clock = clock;
        this.epoch = epoch;
        serve(groups);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "triage-memory-ticks");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        this.ticks = new PendingTicks(executor, clock::millis, group -> execute(group, new Command.Tick()));
    }

    public InMemoryBackend(Collection<GroupSpec> groups, StoreClock clock) {
        this(groups, clock, System.nanoTime() | 1);
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        Slot slot = slots.get(group);
        if (slot == null) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        Outcome outcome;
        synchronized (slot) {
            outcome = GroupRules.execute(slot.state, command, clock.millis(), slot.spec);
        }
        ticks.schedule(group, outcome.nextEventAt(), 1);
        if (!outcome.duplicate()) deliver(group, outcome, command);
        return CompletableFuture.completedFuture(outcome);
    }

    private void deliver(String group, Outcome outcome, Command command) {
        // Nobody to tell: the notices would be built only to be dropped.
        if (listeners.isEmpty()) return;
        for (var batch : outcome.noticesByNode(command).entrySet()) {
            List<NoticeListener> targets = listeners.get(batch.getKey());
            if (targets == null) continue;
            List<Notice> notices = List.copyOf(batch.getValue());
            for (NoticeListener listener : targets) listener.onNotices(group, notices);
        }
    }

    @Override
    public synchronized void serve(Collection<GroupSpec> specs) {
        Map<String, Slot> next = new LinkedHashMap<>(slots);
        for (GroupSpec spec : specs) next.computeIfAbsent(spec.name(), name -> new Slot(spec, epoch)).spec = spec;
        slots = next;
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        listeners.computeIfAbsent(nodeId, n -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(nodeId, List.of()).remove(listener);
    }

    @Override
    public Set<String> groups() {
        return slots.keySet();
    }

    @Override
    public long now() {
        return clock.millis();
    }

    @Override
    public CompletionStage<GroupSnapshot> snapshot(String group) {
        Slot slot = slots.get(group);
        if (slot == null) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        synchronized (slot) {
            return CompletableFuture.completedFuture(slot.state.snapshot());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
