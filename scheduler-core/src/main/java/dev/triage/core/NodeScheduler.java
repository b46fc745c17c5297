package dev.triage.core;

import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's side of scheduling. A request waits on a future that completes when the store pushes its grant
 * to this node (or its end: expired, shed); nothing sleeps or polls per request. The safety net is one
 * {@link Command.Reconcile} per group every polling interval, only while this node has waiters there, and a
 * heartbeat per group where it holds anything, so its leases outlive any call however long.
 *
 * <p>Each admission is released exactly once through {@link #release} or {@link #retry}; a grant that arrives
 * for a request already gone is released as not dispatched.
 */
public final class NodeScheduler implements AutoCloseable {

    /**
     * The most waiting tickets one routine full reconcile asks about: under steady traffic a digest rarely matches
     * (grants are always in flight), and a command listing every ticket of a deep queue would cost the store
     * O(queue) every polling interval. Half are this node's first tickets in queue order, where the store grants
     * (so a lost grant is found at once); half the least recently asked of the rest (lost ends, found in turn).
     */
    static final int FULL_RECONCILE_TICKETS = 256;

    private final SchedulerBackend backend;
    private final String nodeId;
    private final long pollingMillis;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final Map<String, Admission> held = new ConcurrentHashMap<>();
    private final Map<String, Long> registeredEpochs = new ConcurrentHashMap<>();
    private final Map<String, Map.Entry<String, Command.Release>> pendingReleases = new ConcurrentHashMap<>();
    /** The most recent lease ids this node released (bounded). */
    private final Map<String, Boolean> finishedLeases = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 50_000;
        }
    };
    private final Set<String> reconciling = ConcurrentHashMap.newKeySet();
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong admissions = new AtomicLong();
    private final Set<String> settingsBehind = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.BiConsumer<String, Boolean> onSettingsBehind = (group, behind) -> { };
    private final AutoCloseable subscription;
    private final List<ScheduledFuture<?>> loops = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean closed;

    private static final class Waiter {
        final String group;
        final String ticketId;
        final long priority;
        final long deadline;
        final long tokens;
        final Set<String> avoid;
        volatile long arrival = -1;
        /** When a full reconcile last asked the store about this ticket ({@link System#nanoTime}), or 0. */
        volatile long lastAsked;
        final CompletableFuture<Admission> future = new CompletableFuture<>();
        /** Completes once the store has answered the enqueue: a cancel is sent only after it. */
        final CompletableFuture<Void> answered = new CompletableFuture<>();

        Waiter(String group, String ticketId, long priority, long deadline, long tokens, Set<String> avoid) {
            this.group = group;
            this.ticketId = ticketId;
            this.priority = priority;
            this.deadline = deadline;
            this.tokens = tokens;
            this.avoid = avoid;
        }

        Ticket ticket(String nodeId) {
            return new Ticket(ticketId, priority, arrival, nodeId, deadline, tokens, avoid);
        }
    }

    /**
     * @param nodeId          this process's id, chosen at start; it owns the node's tickets and leases
     * @param pollingMillis   the reconcile period while waiters exist (LiteLLM's {@code polling_interval})
     * @param heartbeatMillis how often the node renews itself (a third of the lease bound is right)
     * @param timer           runs the loops; null: the scheduler makes its own daemon thread
     */
    public NodeScheduler(SchedulerBackend backend, String nodeId, long pollingMillis, long heartbeatMillis,
                         ScheduledExecutorService timer) {
        this.backend = backend;
        this.nodeId = nodeId;
        this.pollingMillis = pollingMillis;
        this.ownsTimer = timer == null;
        this.timer = timer != null ? timer : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triage-node-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        this.subscription = backend.subscribe(nodeId, new NoticeListener() {
            @Override
            public void onNotices(String group, List<Notice> notices) {
                NodeScheduler.this.onNotices(group, notices);
            }

            @Override
            public void onStoreReset() {
                reRegister();
            }
        });
        loops.add(this.timer.scheduleWithFixedDelay(this::reconcileWaiting, pollingMillis, pollingMillis,
                TimeUnit.MILLISECONDS));
        loops.add(this.timer.scheduleWithFixedDelay(this::heartbeat, heartbeatMillis, heartbeatMillis,
                TimeUnit.MILLISECONDS));
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Queues a request. The future completes with the admission once granted, or exceptionally with a
     * {@link TicketRefusedException}. Cancelling the future (the client went away) cancels the ticket.
     *
     * @param deadline epoch millis by the store's clock
     */
    public CompletableFuture<Admission> acquire(String group, long priority, long tokens, long deadline) {
        Waiter waiter = new Waiter(group, UUID.randomUUID().toString(), priority, deadline, tokens, Set.of());
        return submit(waiter, new Command.Enqueue(waiter.ticketId, priority, nodeId, deadline, tokens));
    }

    /**
     * Ends a failed attempt and queues the same ticket again: it keeps its priority, arrival and deadline,
     * and avoids the deployment that failed it.
     */
    public CompletableFuture<Admission> retry(Admission failed, Usage usage) {
        Ticket t = failed.ticket();
        Set<String> avoid = new HashSet<>(t.avoid());
        avoid.add(failed.lease().deploymentId());
        Waiter waiter = new Waiter(failed.group(), t.id(), t.priority(), t.deadline(), t.tokens(), avoid);
        waiter.arrival = t.arrival();
        Command requeue = new Command.Requeue(t.id() + "#" + UUID.randomUUID(), t.id(), t.priority(), t.arrival(),
                nodeId, t.deadline(), t.tokens(), avoid);
        CompletionStage<Void> released = release(failed, usage);
        if (!register(waiter)) return waiter.future;
        released.whenComplete((ok, error) -> {
            if (error == null) {
                send(waiter, requeue);
            } else {
                // The store still counts the old lease against the ticket: a requeue would be refused.
                fail(waiter, TicketRefusedException.Reason.UNAVAILABLE, "could not end the failed attempt: " + error);
                waiter.answered.complete(null);
            }
        });
        return waiter.future;
    }

    /**
     * Ends the admission's lease with what the call used; safe to call twice (the second does nothing). A
     * release the store did not take is kept and sent again with every heartbeat until it is: a lost release
     * would otherwise hold its slot for as long as this node lives.
     */
    public CompletionStage<Void> release(Admission admission, Usage usage) {
        // Finished before it stops being held, never after: a repeated grant arriving in between would find the
        // lease neither held nor finished and return it as not dispatched, refunding a call that was sent.
        remember(admission.lease().id());
        if (held.remove(admission.lease().id()) == null) return CompletableFuture.completedFuture(null);
        Command.Release release = new Command.Release(admission.lease().id(), usage);
        SchedulingEvent.record(SchedulingEvent.Stage.RELEASE_SENT, admission.lease());
        return backend.execute(admission.group(), release)
                .whenComplete((outcome, error) -> {
                    SchedulingEvent.record(SchedulingEvent.Stage.RELEASE_ANSWERED, admission.lease());
                    if (outcome != null) noteSettings(admission.group(), outcome);
                    if (error != null) pendingReleases.put(release.leaseId(), Map.entry(admission.group(), release));
                })
                .thenApply(outcome -> (Void) null);
    }

    /** Lease ids this node has finished with: a late or repeated grant of one is not a new grant. */
    private void remember(String leaseId) {
        synchronized (finishedLeases) {
            finishedLeases.put(leaseId, Boolean.TRUE);
        }
    }

    private boolean finished(String leaseId) {
        synchronized (finishedLeases) {
            return finishedLeases.containsKey(leaseId);
        }
    }

    private CompletableFuture<Admission> submit(Waiter waiter, Command command) {
        if (register(waiter)) send(waiter, command);
        return waiter.future;
    }

    /** Makes the waiter findable by its notices before its command leaves; false if the node is closing. */
    private boolean register(Waiter waiter) {
        if (!accepting) {
            waiter.future.completeExceptionally(
                    new TicketRefusedException(TicketRefusedException.Reason.SHUTTING_DOWN, "node is shutting down"));
            waiter.answered.complete(null);
            return false;
        }
        waiters.put(waiter.ticketId, waiter);
        waiter.future.whenComplete((admission, error) -> {
            if (error instanceof CancellationException) cancelInStore(waiter);
        });
        return true;
    }

    private void send(Waiter waiter, Command command) {
        if (waiter.future.isDone()) {
            // Cancelled before it left: nothing reached the store, so there is nothing to cancel there.
            waiters.remove(waiter.ticketId, waiter);
            return;
        }
        backend.execute(waiter.group, command).whenComplete((outcome, error) -> {
            if (error != null) {
                boolean failed = fail(waiter, TicketRefusedException.Reason.UNAVAILABLE,
                        "scheduler store unavailable: " + error);
                waiter.answered.complete(null);
                if (failed) cancelInStore(waiter);
                return;
            }
            observeEpoch(waiter.group, outcome.epoch());
            noteSettings(waiter.group, outcome);
            Result result = outcome.result();
            if (result instanceof Result.Granted g) {
                waiter.arrival = g.lease().arrival();
                grant(waiter.group, g.lease());
            } else if (result instanceof Result.Queued q) {
                waiter.arrival = q.arrival();
            } else if (result instanceof Result.Refused r) {
                fail(waiter, TicketRefusedException.of(r.reason()), "ticket refused: " + r.reason());
            }
            waiter.answered.complete(null);
        });
    }

    private void cancelInStore(Waiter waiter) {
        waiters.remove(waiter.ticketId, waiter);
        waiter.answered.thenRun(() -> backend.execute(waiter.group, new Command.Cancel(waiter.ticketId)));
    }

    private void onNotices(String group, List<Notice> notices) {
        for (Notice notice : notices) {
            if (notice instanceof Notice.Granted g) {
                grant(group, g.lease());
            } else if (notice instanceof Notice.Ended e) {
                Waiter waiter = waiters.get(e.ticketId());
                if (waiter != null) {
                    fail(waiter, TicketRefusedException.of(e.reason()), "ticket ended: " + e.reason());
                }
            }
        }
    }

    /**
     * A grant for this node: hand it to its waiter, or return it unused if the waiter is gone. Synchronized: the
     * same grant may arrive at once as a notice and in a reconcile's answer.
     */
    private synchronized void grant(String group, Lease lease) {
        if (held.containsKey(lease.id()) || finished(lease.id())) return;
        Waiter waiter = waiters.get(lease.ticketId());
        if (waiter != null && waiters.remove(lease.ticketId(), waiter)) {
            if (waiter.arrival < 0) waiter.arrival = lease.arrival();
            Admission admission = new Admission(waiter.group, waiter.ticket(nodeId), lease);
            held.put(lease.id(), admission);
            SchedulingEvent.record(SchedulingEvent.Stage.GRANT_NOTICED, lease);
            if (waiter.future.complete(admission)) {
                admissions.incrementAndGet();
                return;
            }
            release(admission, Usage.notDispatched());
            return;
        }
        // The waiter is gone (cancelled, failed): the slot must not stay taken.
        remember(lease.id());
        backend.execute(group, new Command.Release(lease.id(), Usage.notDispatched()));
    }

    /** Fails the waiter; false if it had already completed (granted: then nothing may be cancelled). */
    private boolean fail(Waiter waiter, TicketRefusedException.Reason reason, String message) {
        waiters.remove(waiter.ticketId, waiter);
        return waiter.future.completeExceptionally(new TicketRefusedException(reason, message));
    }

    private void observeEpoch(String group, long epoch) {
        Long registered = registeredEpochs.putIfAbsent(group, epoch);
        if (registered != null && registered != epoch) reconcile(group, registered);
    }

    /** The safety net: one reconcile per group with waiters, and a local deadline if the store is silent. */
    private void reconcileWaiting() {
        long now = backend.now();
        Set<String> groups = new HashSet<>();
        long grace = Math.max(1_000, 4 * pollingMillis);
        for (Waiter waiter : waiters.values()) {
            if (waiter.deadline + grace <= now) {
                if (fail(waiter, TicketRefusedException.Reason.QUEUE_TIMEOUT, "ticket not granted before its deadline")) {
                    cancelInStore(waiter);
                }
            } else if (waiter.arrival >= 0 && waiter.answered.isDone()) {
                groups.add(waiter.group);
            }
        }
        for (String group : groups) reconcile(group, registeredEpochs.getOrDefault(group, 0L));
    }

    /** The periodic safety net: a digest first (counts only), the full lists only when the store disagrees. */
    private void reconcile(String group, long knownEpoch) {
        if (closed || !reconciling.add(group)) return;
        reconciles.incrementAndGet();
        Command digest = Command.Reconcile.digest(nodeId, knownEpoch, answeredWaiters(group).size(),
                heldLeases(group).size());
        backend.execute(group, digest).whenComplete((outcome, error) -> {
            if (error == null && outcome.result() instanceof Result.Reconciled r && !r.inSync()) {
                reconcileFully(group, knownEpoch);
            } else {
                reconciling.remove(group);
            }
        });
    }

    private void reconcileFully(String group, long knownEpoch) {
        List<Waiter> answered = answeredWaiters(group);
        // Re-registering after the store lost state must list everything; a routine check asks about a slice.
        boolean reRegistering = knownEpoch != registeredEpochs.getOrDefault(group, knownEpoch) || knownEpoch == 0L;
        if (!reRegistering && answered.size() > FULL_RECONCILE_TICKETS) answered = slice(answered);
        long asked = System.nanoTime();
        List<Ticket> tickets = new ArrayList<>(answered.size());
        for (Waiter waiter : answered) {
            waiter.lastAsked = asked;
            tickets.add(waiter.ticket(nodeId));
        }
        reconciles.incrementAndGet();
        backend.execute(group, new Command.Reconcile(nodeId, knownEpoch, tickets, heldLeases(group)))
                .whenComplete((outcome, error) -> {
                    reconciling.remove(group);
                    if (error != null) return;
                    registeredEpochs.put(group, outcome.epoch());
                    if (outcome.result() instanceof Result.Reconciled r) onNotices(group, r.notices());
                });
    }

    /** The waiters a routine full reconcile asks about: the first in queue order, then the least recently asked. */
    private static List<Waiter> slice(List<Waiter> answered) {
        int front = FULL_RECONCILE_TICKETS / 2;
        answered.sort(Comparator.<Waiter>comparingLong(w -> w.priority).thenComparingLong(w -> w.arrival));
        List<Waiter> rest = new ArrayList<>(answered.subList(front, answered.size()));
        rest.sort(Comparator.comparingLong(w -> w.lastAsked));
        List<Waiter> slice = new ArrayList<>(answered.subList(0, front));
        slice.addAll(rest.subList(0, FULL_RECONCILE_TICKETS - front));
        return slice;
    }

    /** Waiters whose command the store has answered: a requeue still on its way would be reported lost. */
    private List<Waiter> answeredWaiters(String group) {
        List<Waiter> answered = new ArrayList<>();
        for (Waiter waiter : waiters.values()) {
            if (waiter.group.equals(group) && waiter.arrival >= 0 && waiter.answered.isDone()) answered.add(waiter);
        }
        return answered;
    }

    private List<Lease> heldLeases(String group) {
        List<Lease> leases = new ArrayList<>();
        for (Admission admission : held.values()) {
            if (admission.group().equals(group)) leases.add(admission.lease());
        }
        return leases;
    }

    /** Groups where this node has a waiter or a lease: the ones it heartbeats and re-registers in. */
    private Set<String> activeGroups() {
        Set<String> groups = new HashSet<>();
        for (Waiter waiter : waiters.values()) groups.add(waiter.group);
        for (Admission admission : held.values()) groups.add(admission.group());
        return groups;
    }

    /** After the store may have lost this node's registrations: re-register everything it holds. */
    private void reRegister() {
        // Epoch 0 matches no state: the store takes back every ticket it has no record of ending.
        for (String group : activeGroups()) reconcile(group, 0L);
    }

    private void heartbeat() {
        for (var pending : List.copyOf(pendingReleases.entrySet())) {
            String group = pending.getValue().getKey();
            backend.execute(group, pending.getValue().getValue()).whenComplete((outcome, error) -> {
                if (error == null) pendingReleases.remove(pending.getKey(), pending.getValue());
            });
        }
        for (String group : activeGroups()) {
            backend.execute(group, new Command.RenewNode(nodeId)).whenComplete((outcome, error) -> {
                if (error != null) return;
                observeEpoch(group, outcome.epoch());
                noteSettings(group, outcome);
            });
        }
    }

    /**
     * Sends each group the kinds of command a call sends, in forms that change nothing: a {@link Command.Tick}
     * (only what time has made due), an enqueue whose deadline has passed (refused as expired), then a cancel of
     * that ticket, or the release of the lease it got where the store's clock was behind this node's estimate of it. The first commands of a group create its state in the store and load the code that
     * carries and applies them, which a node's first call would otherwise wait for. Completes when every group has
     * answered (or failed to).
     */
    public CompletableFuture<Void> warmUp() {
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (String group : backend.groups()) {
            String id = "warm-up-" + java.util.UUID.randomUUID();
            answers.add(backend.execute(group, new Command.Tick()).toCompletableFuture()
                    .thenCompose(done -> backend.execute(group, new Command.Enqueue(id, 0, nodeId, backend.now() - 1, 0)))
                    // Refused as expired where the node's clock is the store's; a store whose clock this node only
                    // estimates (Redis) may still take it, and then what it got is handed back at once.
                    .thenCompose(enqueued -> backend.execute(group, enqueued.result() instanceof Result.Granted g
                            ? new Command.Release(g.lease().id(), Usage.notDispatched())
                            : new Command.Cancel(id))));
        }
        return allSettled(answers);
    }

    /**
     * The groups that run under settings from a newer config than this node's (contract 11): this node's calls
     * are scheduled under the group's settings meanwhile, and its own file wants updating.
     */
    public Set<String> settingsBehind() {
        return Set.copyOf(settingsBehind);
    }

    /** Told each time a group starts or stops running under newer settings than this node's. */
    public void whenSettingsBehind(java.util.function.BiConsumer<String, Boolean> listener) {
        onSettingsBehind = listener;
    }

    private void noteSettings(String group, Outcome outcome) {
        boolean changed = outcome.callerBehind() ? settingsBehind.add(group) : settingsBehind.remove(group);
        if (changed) onSettingsBehind.accept(group, outcome.callerBehind());
    }

    /** The store's clock, for deadlines. */
    public long now() {
        return backend.now();
    }

    /** Waiters on this node (all groups). */
    public int waiting() {
        return waiters.size();
    }

    /** Admissions granted and not yet released. */
    public int held() {
        return held.size();
    }

    /** Grants handed to a waiting request so far. */
    public long admissions() {
        return admissions.get();
    }

    /** Reconcile commands sent so far (the safety net's cost). */
    public long reconciles() {
        return reconciles.get();
    }

    /**
     * Refuses new requests and fails the waiting ones with {@link TicketRefusedException.Reason#SHUTTING_DOWN},
     * cancelling their tickets. Leases already granted stay held (and renewed) until released: the first step
     * of a graceful shutdown.
     */
    public void stopAccepting() {
        accepting = false;
        for (Waiter waiter : List.copyOf(waiters.values())) {
            if (fail(waiter, TicketRefusedException.Reason.SHUTTING_DOWN, "node is shutting down")) {
                waiter.answered.thenRun(() -> backend.execute(waiter.group, new Command.Cancel(waiter.ticketId)));
            }
        }
    }

    /** Stops accepting, then leaves every group, which frees any lease still held; at once, without waiting. */
    @Override
    public void close() {
        leave();
    }

    /**
     * {@link #close()}, completing once the store has taken every group's leave (or failed to): a caller that
     * stops the store next waits for it, so that no command is cut off halfway.
     */
    public CompletableFuture<Void> leave() {
        if (closed) return CompletableFuture.completedFuture(null);
        stopAccepting();
        closed = true;
        for (ScheduledFuture<?> loop : loops) loop.cancel(false);
        List<CompletableFuture<?>> drops = new ArrayList<>();
        for (String group : backend.groups()) {
            drops.add(backend.execute(group, new Command.DropNode(nodeId)).toCompletableFuture());
        }
        held.clear();
        try {
            subscription.close();
        } catch (Exception ignored) {
            // closing a subscription of a backend that is itself gone
        }
        if (ownsTimer) timer.shutdownNow();
        return allSettled(drops);
    }

    /** Completes when every one of {@code answers} has, whether it succeeded or failed. */
    private static CompletableFuture<Void> allSettled(List<CompletableFuture<?>> answers) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handle((done, failed) -> null);
    }
}
