package dev.triage.node.hazelcast;


import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit for one member: at most one call per group is out in the cluster from here; the commands that
 * arrive meanwhile leave together as the next call, so that a burst costs the group's partition thread one
 * invocation per batch instead of one per command. Commands that free or keep capacity (releases, cancels,
 * heartbeats, ticks, reconciles) go before any waiting enqueue: a release never waits behind a burst of
 * enqueues. Reordering them is safe because a node sends a command that depends on another (a cancel after its
 * enqueue, a requeue after its release) only once the first has been answered.
 */
final class CommandBatcher {

    /** The most commands in one call: bounds how long one call holds the partition thread. */
    static final int MAX_BATCH = 512;

    record Pending(Command command, CompletableFuture<Outcome> answer) {
    }

    /** Sends one batch for a group; must end with a call to {@link #answered} for that group, however it ends. */
    interface Sender {
        void send(String group, List<Pending> batch);
    }

    private static final class GroupQueue {
        final ArrayDeque<Pending> urgent = new ArrayDeque<>();
        final ArrayDeque<Pending> enqueues = new ArrayDeque<>();
        boolean inFlight;

        List<Pending> take() {
            int size = Math.min(MAX_BATCH, urgent.size() + enqueues.size());
            List<Pending> batch = new ArrayList<>(size);
            while (batch.size() < size && !urgent.isEmpty()) batch.add(urgent.poll());
            while (batch.size() < size && !enqueues.isEmpty()) batch.add(enqueues.poll());
            return batch;
        }
    }

    private final Map<String, GroupQueue> queues = new ConcurrentHashMap<>();
    private final Sender sender;

    CommandBatcher(Sender sender) {
        this.sender = sender;
    }

    CompletableFuture<Outcome> submit(String group, Command command) {
        Pending pending = new Pending(command, new CompletableFuture<>());
        GroupQueue queue = queues.computeIfAbsent(group, g -> new GroupQueue());
        List<Pending> batch = null;
        synchronized (queue) {
            boolean enqueue = command instanceof Command.Enqueue || command instanceof Command.Requeue;
            (enqueue ? queue.enqueues : queue.urgent).add(pending);
            if (!queue.inFlight) {
                queue.inFlight = true;
                batch = queue.take();
            }
        }
        if (batch != null) sender.send(group, batch);
        return pending.answer();
    }

    /** The group's call has been answered (or failed): the commands that waited meanwhile leave now. */
    void answered(String group) {
        GroupQueue queue = queues.get(group);
        List<Pending> batch;
        synchronized (queue) {
            if (queue.urgent.isEmpty() && queue.enqueues.isEmpty()) {
                queue.inFlight = false;
                return;
            }
            batch = queue.take();
        }
        sender.send(group, batch);
    }
}
