package dev.triage.node.redis;

import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.UnknownGroupException;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.NoticeListener;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.PendingTicks;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.spi.StoreCounters;
import dev.triage.core.spi.StoreHealth;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Redis backend: each group is a {@link GroupLog}, a stream of commands every node applies to its own copy
 * of the state, so that the rules run once per node in Java and the server only orders, times and keeps. A
 * command is one script call (append) and its outcome is read back with the next entries of the log; every node
 * learns every grant from the log it reads anyway, so notices need no channel of their own.
 */
public final class RedisBackend implements SchedulerBackend {

    /** Every this many entries, the node that appended one stores a snapshot and lets the log be trimmed. */
    public static final int SNAPSHOT_EVERY = 10_000;
    static final long ANSWER_TIMEOUT_MILLIS = 5_000;

    private final Vertx vertx;
    private final Redis redis;
    private final PipelinedConnection appends;
    private final String prefix;
    private final StoreClock injectedClock;
    private final RedisClock serverClock;
    private final int snapshotEvery;
    private final String instance = UUID.randomUUID().toString();
    /** Replaced whole when a group is added, so that commands read it without a lock. */
    private volatile Map<String, GroupLog> logs = Map.of();
    private final Map<String, List<NoticeListener>> listeners = new ConcurrentHashMap<>();
    private final Set<NoticeListener> allListeners = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final PendingTicks ticks;
    private final long tickDelay;
    private final long sweep;
    private final LongAdder callCommands = new LongAdder();
    private final LongAdder safetyNetCommands = new LongAdder();
    private final LongAdder noticeMessages = new LongAdder();

    /**
     * @param prefix        keeps this fleet's keys apart from other fleets' on the same server
     * @param injectedClock the store time for tests, or null for the server's clock
     */
    public RedisBackend(Vertx vertx, Redis redis, String prefix, Collection<GroupSpec> groups,
                        StoreClock injectedClock) {
        this(vertx, redis, prefix, groups, injectedClock, SNAPSHOT_EVERY);
    }

    RedisBackend(Vertx vertx, Redis redis, String prefix, Collection<GroupSpec> groups, StoreClock injectedClock,
                 int snapshotEvery) {
        this.vertx = vertx;
        this.redis = redis;
        this.appends = new PipelinedConnection(redis);
        this.prefix = prefix;
        this.injectedClock = injectedClock;
        this.snapshotEvery = snapshotEvery;
        this.serverClock = injectedClock == null ? new RedisClock(vertx, redis) : null;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "triage-redis-ticks");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.ticks = new PendingTicks(timer, this::now, this::tick);
        // Every node sees every outcome: each waits a little of its own before ticking, and only if nobody has.
        this.tickDelay = 1 + Math.floorMod(instance.hashCode(), 40);
        serve(groups);
        this.sweep = vertx.setPeriodic(250, id -> logs.values().forEach(GroupLog::expireAnswers));
    }

    @Override
    public CompletionStage<Outcome> execute(String group, Command command) {
        GroupLog log = logs.get(group);
        if (log == null) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        if (command instanceof Command.Tick || command instanceof Command.RenewNode
                || command instanceof Command.Reconcile) {
            safetyNetCommands.increment();
        } else {
            callCommands.increment();
        }
        return log.execute(command);
    }

    private void tick(String group) {
        GroupLog log = logs.get(group);
        if (log != null && log.nextEventAt() <= now()) execute(group, new Command.Tick());
    }

    /** On the group's reader: tell this node's listeners what they are owed, and keep the group's tick. */
    private void applied(String group, Command command, Outcome outcome) {
        ticks.schedule(group, outcome.nextEventAt(), tickDelay);
        if (outcome.duplicate() || listeners.isEmpty()) return;
        for (var batch : outcome.noticesByNode(command).entrySet()) {
            List<NoticeListener> targets = listeners.get(batch.getKey());
            if (targets == null) continue;
            List<Notice> notices = List.copyOf(batch.getValue());
            noticeMessages.increment();
            for (NoticeListener listener : targets) listener.onNotices(group, notices);
        }
    }

    private void reset(String group) {
        timer.execute(() -> allListeners.forEach(NoticeListener::onStoreReset));
    }

    @Override
    public synchronized void serve(Collection<GroupSpec> specs) {
        Map<String, GroupLog> next = new LinkedHashMap<>(logs);
        GroupLog.Applied applied = new GroupLog.Applied() {
            @Override
            public void outcome(String group, Command command, Outcome outcome) {
                applied(group, command, outcome);
            }

            @Override
            public void reset(String group) {
                RedisBackend.this.reset(group);
            }
        };
        for (GroupSpec spec : specs) {
            GroupLog log = next.get(spec.name());
            if (log != null) {
                log.serve(spec);
            } else {
                next.put(spec.name(), new GroupLog(spec, prefix, vertx, redis, appends, instance, injectedClock, applied,
                        snapshotEvery, ANSWER_TIMEOUT_MILLIS));
            }
        }
        logs = Map.copyOf(next);
    }

    @Override
    public CompletionStage<GroupSnapshot> snapshot(String group) {
        GroupLog log = logs.get(group);
        if (log == null) return CompletableFuture.failedFuture(new UnknownGroupException(group));
        return log.snapshot();
    }

    @Override
    public AutoCloseable subscribe(String nodeId, NoticeListener listener) {
        listeners.computeIfAbsent(nodeId, n -> new CopyOnWriteArrayList<>()).add(listener);
        allListeners.add(listener);
        return () -> {
            listeners.getOrDefault(nodeId, List.of()).remove(listener);
            allListeners.remove(listener);
        };
    }

    @Override
    public Set<String> groups() {
        return logs.keySet();
    }

    @Override
    public long now() {
        return injectedClock != null ? injectedClock.millis() : serverClock.millis();
    }

    @Override
    public StoreHealth health() {
        for (GroupLog log : logs.values()) {
            String problem = log.problem();
            if (problem != null) return StoreHealth.unhealthy(problem);
        }
        return StoreHealth.HEALTHY;
    }

    @Override
    public StoreCounters counters() {
        long commands = callCommands.sum() + safetyNetCommands.sum();
        return new StoreCounters(callCommands.sum(), safetyNetCommands.sum(), commands, noticeMessages.sum());
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweep);
        timer.shutdownNow();
        if (serverClock != null) serverClock.close();
        logs.values().forEach(GroupLog::close);
        appends.close();
    }
}
