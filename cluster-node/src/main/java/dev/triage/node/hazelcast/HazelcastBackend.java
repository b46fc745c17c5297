package dev.triage.node.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.operationexecutor.impl.OperationThread;
import com.hazelcast.topic.ITopic;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.UnknownGroupException;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.PendingTicks;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreCounters;
import dev.triage.core.spi.StoreHealth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The embedded-cluster backend: each model group's state is one entry of an IMap (in-memory format OBJECT,
 * one synchronous backup) and each command is one entry-processor call where that entry lives. Grants go to
 * their node on a topic per node id, one batch per command. Timed events are ticked by the member that owns
 * the group's key, with the other members that saw the event following a little later, in case it died.
 */
public final class HazelcastBackend implements SchedulerBackend {


    /** The map of group states; the member config matches every map under this prefix. */
    public static final String MAP = "triage.groups";
    public static final String TOPIC_PREFIX = "triage.notices.";
    public static final String NODE_ATTRIBUTE = "triage.node";
    public static final String SPLIT_BRAIN_PROTECTION = MemberHealth.SPLIT_BRAIN_PROTECTION;
    /** The longest a paused member waits for its merge before it trusts its own view again. */

    private final HazelcastInstance instance;
    private final IMap<String, GroupState> states;
    /** The settings this node's commands carry, by group; replaced whole by {@link #serve}. */
    private volatile Map<String, GroupSpec> specs = Map.of();
    private final ScheduledExecutorService ticker;
    private final java.util.concurrent.ExecutorService callbacks;
    private final CommandBatcher batcher = new CommandBatcher(this::send);
    private final KeyInvoker invoker;
    private final MemberHealth health;
    private final Map<String, NoticeListener> localListeners = new ConcurrentHashMap<>();
    private final Map<String, ITopic<NoticeBatch>> topics = new ConcurrentHashMap<>();
    private final LongAdder callCommands = new LongAdder();
    private final LongAdder safetyNetCommands = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder noticeMessages = new LongAdder();
    private final PendingTicks ticks;
    private final UUID membershipRegistration;
    private final UUID lifecycleRegistration;
    private final String topicPrefix;
    private final String namespace;
    private final java.util.concurrent.atomic.AtomicLong ticksSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<NoticeListener> listeners = ConcurrentHashMap.newKeySet();

    public HazelcastBackend(HazelcastInstance instance, Collection<GroupSpec> groups) {
        this(instance, groups, "");
    }

    /**
     * @param namespace suffix of the map and topic names, so that several backends (tests) can share one
     *                  cluster without seeing each other's state
     */
    public HazelcastBackend(HazelcastInstance instance, Collection<GroupSpec> groups, String namespace) {
        this.instance = instance;
        this.namespace = namespace;
        this.states = instance.getMap(MAP + namespace);
        this.topicPrefix = TOPIC_PREFIX + namespace + ".";
        serve(groups);
        long leaseBound = groups.stream().mapToLong(GroupSpec::leaseBoundMillis).min().orElse(15_000);
        long pingEvery = Math.max(100, leaseBound / 6);
        this.health = new MemberHealth(instance, leaseBound, pingEvery);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "triage-hazelcast-ticks");
            t.setDaemon(true);
            return t;
        });
        this.ticks = new PendingTicks(ticker, this::now, this::tick);
        // After close, an answer still arriving is handed over on Hazelcast's thread rather than rejected.
        this.callbacks = new java.util.concurrent.ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "triage-hazelcast-callbacks");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> task.run());
        this.invoker = new KeyInvoker(states, callbacks);
        this.membershipRegistration = instance.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                dropLeftNode(event.getMember());
            }
        });
        this.lifecycleRegistration = instance.getLifecycleService().addLifecycleListener(event -> {
            switch (event.getState()) {
                case MERGING -> health.mergeStarted();
                case MERGED -> {
                    health.merged();
                    // The merged side kept the majority's state: tell every node here to re-register what it holds.
                    ticker.execute(() -> listeners.forEach(NoticeListener::onStoreReset));
                }
                case MERGE_FAILED -> health.mergeFailed();
                default -> {
                }
            }
        });
        ticker.scheduleWithFixedDelay(this::ping, pingEvery, pingEvery, TimeUnit.MILLISECONDS);
        instance.getUserContext().put(contextKey(namespace), this);
    }

    /** Keeps {@link #health()} honest when no request is passing through: one no-op read where the state is. */
    private void ping() {
        health.pinging();
        if (specs.isEmpty() || !instance.getLifecycleService().isRunning()) return;
        try {
            long sent = System.nanoTime();
            invoker.<Boolean>invoke(specs.keySet().iterator().next(), new PingProcessor()).thenRun(
                    () -> health.contacted(sent));
        } catch (RuntimeException notRunning) {
            // health() turns unhealthy once the contact is older than half the lease bound
        }
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        if (!specs.containsKey(group)) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        if (Thread.currentThread() instanceof OperationThread) {
            // Sent while a notice is handed over on a partition thread (a grant whose waiter is gone is returned):
            // the partition thread only runs commands, it does not send them.
            return CompletableFuture.supplyAsync(() -> batcher.submit(group, command), callbacks)
                    .thenCompose(answer -> answer);
        }
        return batcher.submit(group, command);
    }

    /** One entry-processor call for a batch of one group's commands; its answer is handed out on our threads. */
    private void send(String group, List<CommandBatcher.Pending> batch) {
        List<Command> commands = new ArrayList<>(batch.size());
        for (CommandBatcher.Pending pending : batch) {
            commands.add(pending.command());
            (StoreCounters.isCallCommand(pending.command()) ? callCommands : safetyNetCommands).increment();
        }
        roundTrips.increment();
        long sent = System.nanoTime();
        CompletionStage<Object> call;
        try {
            call = invoker.invoke(group, new GroupCommandProcessor(specs.get(group), commands, namespace));
        } catch (RuntimeException notRunning) {
            call = CompletableFuture.failedFuture(notRunning);
        }
        call.whenComplete((value, error) -> {
            // The next batch leaves first, so the partition thread is busy while this one's answers go out.
            batcher.answered(group);
            if (error != null) {
                for (CommandBatcher.Pending pending : batch) pending.answer().completeExceptionally(error);
                return;
            }
            onBatchOutcome(group, batch, commands, (BatchOutcome) value, sent);
        });
    }

    private void onBatchOutcome(String group, List<CommandBatcher.Pending> batch, List<Command> commands,
                                BatchOutcome result, long sentNanos) {
        health.contacted(sentNanos);
        if (!result.noticesPushed()) {
            // The member that ran the batch has no backend of this namespace (a test's member): push from here.
            try {
                result.notices(commands).forEach((node, notices) -> deliver(group, node, notices));
                scheduleTick(group, result.nextEventAt());
            } catch (RuntimeException sideEffectFailed) {
                // Notices and ticks are best effort (the reconcile heals them); the answers themselves must arrive.
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = result.outcomes().get(i);
            CompletableFuture<Outcome> answer = batch.get(i).answer();
            if (outcome != null) {
                answer.complete(outcome);
            } else {
                answer.completeExceptionally(new IllegalArgumentException(result.refusals().get(i)));
            }
        }
    }

    /**
     * Called on the partition thread by a batch that ran here: this member pushes the batch's notices, those for a
     * node in this process at once, the others on their node's topic. A local node only hands each grant to its
     * waiter's event loop (non-blocking, microseconds), so the slot reaches the next call in two thread hops from
     * the release: event loop, partition thread, event loop.
     */
    void pushAsOwner(String group, Map<String, List<Notice>> notices) {
        notices.forEach((nodeId, list) -> deliver(group, nodeId, list));
    }

    /** A node in this process gets its notices directly; any other through its topic, one message per batch. */
    private void deliver(String group, String nodeId, List<Notice> notices) {
        NoticeListener local = localListeners.get(nodeId);
        if (local != null) {
            local.onNotices(group, notices);
        } else {
            publish(group, nodeId, notices);
        }
    }

    private void publish(String group, String nodeId, List<Notice> notices) {
        noticeMessages.increment();
        topics.computeIfAbsent(nodeId, n -> instance.getTopic(topicPrefix + n)).publish(new NoticeBatch(group, notices));
    }

    /** Where processors on this member find this backend, to have it tick the groups whose key it owns. */
    static String contextKey(String namespace) {
        return "triage.backend" + namespace;
    }

    /** Called on the partition thread by a command that ran here: this member owns the key, so it ticks first. */
    void tickAsOwner(String group, long at) {
        if (specs.containsKey(group)) scheduleTick(group, at, true);
    }

    /** Ticks this backend sent by itself (timed events), for tests and metrics. */
    public long ticksSent() {
        return ticksSent.get();
    }

    private void scheduleTick(String group, long at) {
        scheduleTick(group, at, ownsKey(group));
    }

    /** The key's owner goes first; the other members follow in case it died, spread out. */
    private void scheduleTick(String group, long at, boolean owner) {
        ticks.schedule(group, at, owner ? 1 : 25 + ThreadLocalRandom.current().nextInt(75));
    }

    private void tick(String group) {
        if (!instance.getLifecycleService().isRunning()) return;
        ticksSent.incrementAndGet();
        execute(group, new Command.Tick());
    }

    private boolean ownsKey(String group) {
        Member owner = instance.getPartitionService().getPartition(group).getOwner();
        return owner != null && owner.localMember();
    }

    /** The oldest surviving member tells every group that the node of a member that left is gone. */
    private void dropLeftNode(Member left) {
        String nodeId = left.getAttribute(NODE_ATTRIBUTE);
        if (nodeId == null || !instance.getLifecycleService().isRunning()) return;
        Member oldest = instance.getCluster().getMembers().iterator().next();
        if (!oldest.localMember()) return;
        for (String group : specs.keySet()) execute(group, new Command.DropNode(nodeId));
    }

    @Override
    public CompletionStage<GroupSnapshot> snapshot(String group) {
        GroupSpec spec = specs.get(group);
        if (spec == null) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        return invoker.invoke(group, new SnapshotProcessor(spec));
    }

    @Override
    public synchronized void serve(Collection<GroupSpec> groups) {
        Map<String, GroupSpec> next = new LinkedHashMap<>(specs);
        for (GroupSpec spec : groups) next.put(spec.name(), spec);
        specs = next;
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        ITopic<NoticeBatch> topic = instance.getTopic(topicPrefix + nodeId);
        UUID registration = topic.addMessageListener(
                message -> listener.onNotices(message.getMessageObject().group(), message.getMessageObject().notices()));
        listeners.add(listener);
        localListeners.put(nodeId, listener);
        return () -> {
            listeners.remove(listener);
            localListeners.remove(nodeId, listener);
            if (instance.getLifecycleService().isRunning()) topic.removeMessageListener(registration);
        };
    }

    @Override
    public StoreCounters counters() {
        return new StoreCounters(callCommands.sum(), safetyNetCommands.sum(), roundTrips.sum(), noticeMessages.sum());
    }

    @Override
    public Set<String> groups() {
        return specs.keySet();
    }

    @Override
    public long now() {
        return StoreTime.now(instance);
    }

    /** Whether this member may admit now, as {@link MemberHealth} judges it. */
    @Override
    public StoreHealth health() {
        return health.now();
    }

    public HazelcastInstance instance() {
        return instance;
    }

    /** Stops ticking; the Hazelcast instance belongs to whoever started it. */
    @Override
    public void close() {
        instance.getUserContext().remove(contextKey(namespace), this);
        ticker.shutdownNow();
        callbacks.shutdown();
        if (instance.getLifecycleService().isRunning()) {
            instance.getCluster().removeMembershipListener(membershipRegistration);
            instance.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
        }
    }
}
