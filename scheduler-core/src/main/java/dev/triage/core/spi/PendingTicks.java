package dev.triage.core.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one pending {@link Command.Tick} per group that a backend keeps, as {@link SchedulerBackend} asks: when an
 * outcome's {@link Outcome#nextEventAt} comes due, the group is ticked once; an outcome that needs it sooner moves
 * it earlier, one that needs it later leaves it. Every backend ticks this way, so it is written once.
 */
public final class PendingTicks {

    /** What a backend does when a group's tick comes due. */
    @FunctionalInterface
    public interface TickAction {
        void tick(String group);
    }

    private record Pending(long at, ScheduledFuture<?> future) {
    }

    private final ScheduledExecutorService timer;
    private final LongSupplier storeClock;
    private final TickAction action;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** @param storeClock the store's time in milliseconds, which {@code at} is given in */
    public PendingTicks(ScheduledExecutorService timer, LongSupplier storeClock, TickAction action) {
        this.timer = timer;
        this.storeClock = storeClock;
        this.action = action;
    }

    /**
     * Ticks {@code group} at store time {@code at} (nothing for {@link Long#MAX_VALUE}), unless a tick as early
     * is pending.
     *
     * @param extraDelayMillis waited beyond {@code at}: a backend whose members share the work lets the one that
     *                         owns the group go first and the others follow
     */
    public void schedule(String group, long at, long extraDelayMillis) {
        if (at == Long.MAX_VALUE) return;
        // Most commands find a tick as early already pending: then no lambda, no lock on the map's bin.
        Pending already = pending.get(group);
        if (already != null && already.at() <= at && !already.future().isDone()) return;
        pending.compute(group, (g, current) -> {
            if (current != null && current.at() <= at && !current.future().isDone()) return current;
            if (current != null) current.future().cancel(false);
            long delay = Math.max(0, at - storeClock.getAsLong()) + extraDelayMillis;
            try {
                return new Pending(at, timer.schedule(() -> due(group, at), delay, TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException closed) {
                return null;
            }
        });
    }

    private void due(String group, long at) {
        pending.computeIfPresent(group, (g, current) -> current.at() == at ? null : current);
        action.tick(group);
    }
}
