package dev.triage.node.redis;

import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.GroupRules;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.wire.WireFormat;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One group in Redis mode: its commands are appended to a stream, in one order for every node, and each node
 * applies them all with {@link GroupRules} to its own copy of the state. The rules are deterministic (the time and
 * the caller's settings are in the entry), so every copy is the same, and the node that appended a command takes
 * its outcome from its own copy. One copy of the rules for every backend; the server only orders and keeps.
 *
 * <p>The copy lives on one Vert.x context: the reader's, which applies entries as its blocking XREAD returns them.
 * A reader that finds a sequence number missing (a log trimmed past it) loads the latest snapshot; one that finds
 * the epoch changed (the server lost the group's keys) starts the state anew and has the nodes re-register.
 */
final class GroupLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupLog.class.getName());
    static final int READ_BATCH = 512;
    static final long BLOCK_MILLIS = 1_000;

    /** What the backend does with what the log applies. */
    interface Applied {
        void outcome(String group, Command command, Outcome outcome);

        /** The group's state was lost on the server and started anew: the nodes should re-register. */
        void reset(String group);
    }

    private record Pending(CompletableFuture<Outcome> answer, long deadlineNanos) {
    }

    private record Barrier(String id, CompletableFuture<GroupSnapshot> answer) {
    }

    private final String group;
    private final RedisKeys keys;
    private final Vertx vertx;
    private final Redis redis;
    private final PipelinedConnection appends;
    private final Context context;
    private final String instance;
    private final StoreClock injectedClock;
    private final Applied applied;
    private final int snapshotEvery;
    private final long answerTimeoutNanos;
    private volatile GroupSpec served;
    private volatile byte[] servedBytes;

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    // The copy of the state, and where the reader is: touched on the context only.
    private GroupState state;
    private long epoch;
    private long lastSeq;
    private String lastId = "0-0";
    private final List<Barrier> barriers = new ArrayList<>();
    private RedisConnection reading;
    /** Set first thing by {@link #close}: from then on nothing is appended and nothing is read. */
    private volatile boolean closed;

    /** Resynchronisations in a row that found the log still not continuing where this copy is. */
    private int failedResyncs;
    /** The group's epoch on the server when this copy last looked (0: none there). */
    private long serverEpoch;

    private volatile long nextEventAt = Long.MAX_VALUE;
    private volatile long lastReadNanos;
    private volatile String problem = "not yet read";

    GroupLog(GroupSpec spec, String prefix, Vertx vertx, Redis redis, PipelinedConnection appends, String instance,
             StoreClock injectedClock, Applied applied, int snapshotEvery, long answerTimeoutMillis) {
        this.group = spec.name();
        this.keys = RedisKeys.of(prefix, spec.name());
        this.vertx = vertx;
        this.redis = redis;
        this.appends = appends;
        this.context = vertx.getOrCreateContext();
        this.instance = instance;
        this.injectedClock = injectedClock;
        this.applied = applied;
        this.snapshotEvery = snapshotEvery;
        this.answerTimeoutNanos = answerTimeoutMillis * 1_000_000;
        serve(spec);
        context.runOnContext(v -> connect());
    }

    void serve(GroupSpec spec) {
        servedBytes = encode(out -> WireFormat.writeGroupSpec(out, spec));
        served = spec;
    }

    GroupSpec served() {
        return served;
    }

    long nextEventAt() {
        return nextEventAt;
    }

    /** Why this node cannot count on the group's log now, or null while it reads it. */
    String problem() {
        if (problem != null) return problem;
        long silent = System.nanoTime() - lastReadNanos;
        if (silent > 3 * BLOCK_MILLIS * 1_000_000) {
            return "no answer from Redis for the log of " + group + " in " + silent / 1_000_000 + " ms";
        }
        return null;
    }

    // ---- commands ----

    /** Appends the command; its outcome comes when this node's copy applies it. */
    CompletableFuture<Outcome> execute(Command command) {
        if (closed) return CompletableFuture.failedFuture(new StoreUnavailableException("the Redis backend closed", null));
        long request = requests.incrementAndGet();
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        pending.put(request, new Pending(answer, System.nanoTime() + answerTimeoutNanos));
        byte[] encoded = encode(out -> WireFormat.writeCommand(out, command));
        String time = injectedClock == null ? "" : Long.toString(injectedClock.millis());
        String newEpoch = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        LogScript.APPEND.run(appends, List.of(keys.meta(), keys.log()),
                        List.of(newEpoch, time, instance, Long.toString(request), encoded, servedBytes))
                .onFailure(error -> fail(request, new StoreUnavailableException(
                        "Redis did not take the command for " + group + ": " + error.getMessage(), error)));
        return answer;
    }

    /** Fails the commands that waited longer than the answer timeout (the entry may still apply: a retry is safe). */
    void expireAnswers() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            if (now - e.getValue().deadlineNanos() > 0) {
                it.remove();
                e.getValue().answer().completeExceptionally(new StoreUnavailableException(
                        "no outcome from the Redis log of " + group + " within "
                                + answerTimeoutNanos / 1_000_000 + " ms", null));
            }
        }
    }

    private void fail(long request, Throwable error) {
        Pending p = pending.remove(request);
        if (p != null) p.answer().completeExceptionally(error);
    }

    /** A snapshot that reflects every command appended before it was asked for: read once the copy has them. */
    CompletableFuture<GroupSnapshot> snapshot() {
        CompletableFuture<GroupSnapshot> answer = new CompletableFuture<>();
        redis.send(Request.cmd(io.vertx.redis.client.Command.XREVRANGE).arg(keys.log()).arg("+").arg("-")
                        .arg("COUNT").arg(1))
                .onComplete(ar -> context.runOnContext(v -> {
                    if (ar.failed()) {
                        answer.completeExceptionally(new StoreUnavailableException(
                                "Redis did not answer a read of " + group + ": " + ar.cause().getMessage(), ar.cause()));
                        return;
                    }
                    Response last = ar.result();
                    String id = last == null || last.size() == 0 ? "0-0" : last.get(0).get(0).toString();
                    barriers.add(new Barrier(id, answer));
                    releaseBarriers();
                }));
        return answer;
    }

    private void releaseBarriers() {
        for (Iterator<Barrier> it = barriers.iterator(); it.hasNext(); ) {
            Barrier b = it.next();
            if (StreamIds.compare(lastId, b.id()) >= 0) {
                it.remove();
                GroupState current = state != null ? state : new GroupState(served, 0);
                b.answer().complete(current.snapshot());
            }
        }
    }

    // ---- the reader ----

    private void connect() {
        if (closed) return;
        redis.connect().onComplete(ar -> {
            if (ar.failed()) {
                readFailed(ar.cause());
                return;
            }
            reading = ar.result();
            reading.exceptionHandler(error -> readFailed(error));
            checkEpoch();
        });
    }

    /**
     * Where to read from after a (re)connect: on from where it was if the group is still in the epoch this copy
     * has; from the snapshot, or from the start of the log, if not.
     */
    private void checkEpoch() {
        reading.send(Request.cmd(io.vertx.redis.client.Command.HGETALL).arg(keys.snap()))
                .compose(snap -> reading.send(Request.cmd(io.vertx.redis.client.Command.HGET).arg(keys.meta())
                        .arg("epoch")).map(meta -> new Response[] {snap, meta}))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        readFailed(ar.cause());
                        return;
                    }
                    long current = ar.result()[1] == null ? 0 : Long.parseLong(ar.result()[1].toString());
                    serverEpoch = current;
                    if (state == null || current != epoch) {
                        boolean hadState = state != null;
                        if (!loadSnapshot(ar.result()[0], current)) startOver();
                        if (hadState) lostState();
                    }
                    problem = null;
                    lastReadNanos = System.nanoTime();
                    read();
                });
    }

    /** Loads the snapshot if it is of the given epoch and ahead of this copy; returns whether it did. */
    private boolean loadSnapshot(Response reply, long currentEpoch) {
        Map<String, Response> snap = fields(reply);
        if (!snap.keySet().containsAll(List.of("epoch", "seq", "id", "state"))) return false;
        long snapEpoch = Long.parseLong(snap.get("epoch").toString());
        long seq = Long.parseLong(snap.get("seq").toString());
        if (snapEpoch != currentEpoch || (snapEpoch == epoch && seq <= lastSeq)) return false;
        try {
            state = GroupState.readFrom(new DataInputStream(new ByteArrayInputStream(snap.get("state").toBytes())));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the snapshot of " + group + " in Redis cannot be read; reading its log instead", e);
            return false;
        }
        epoch = snapEpoch;
        lastSeq = seq;
        lastId = snap.get("id").toString();
        return true;
    }

    /** A hash as HGETALL answers it: field, value, field, value... */
    private static Map<String, Response> fields(Response reply) {
        Map<String, Response> fields = new HashMap<>();
        if (reply == null) return fields;
        for (int i = 0; i + 1 < reply.size(); i += 2) fields.put(reply.get(i).toString(), reply.get(i + 1));
        return fields;
    }

    private void startOver() {
        state = null;
        epoch = 0;
        lastSeq = 0;
        lastId = "0-0";
    }

    private void lostState() {
        LOG.warning("the state of " + group + " in Redis was lost (a server restarted empty?): starting it anew;"
                + " the nodes re-register what they hold");
        // What was appended to the lost log never comes back: its callers retry under the same operation ids.
        for (Long request : new ArrayList<>(pending.keySet())) {
            fail(request, new StoreUnavailableException("the Redis state of " + group + " was lost", null));
        }
        applied.reset(group);
    }

    private void read() {
        if (closed || reading == null) return;
        long sent = System.nanoTime();
        reading.send(Request.cmd(io.vertx.redis.client.Command.XREAD).arg("COUNT").arg(READ_BATCH)
                        .arg("BLOCK").arg(BLOCK_MILLIS).arg("STREAMS").arg(keys.log()).arg(lastId))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        readFailed(ar.cause());
                        return;
                    }
                    // Heard from as of the asking: a reply read after a freeze says nothing about the freeze.
                    lastReadNanos = sent;
                    if (ar.result() != null && applyAll(ar.result().get(0).get(1))) {
                        read();
                    } else if (ar.result() == null) {
                        releaseBarriers();
                        read();
                    }
                });
    }

    /** Applies what XREAD returned; false if it found a gap and went to resynchronise instead. */
    private boolean applyAll(Response entries) {
        for (int i = 0; i < entries.size(); i++) {
            LogEntry entry;
            try {
                entry = LogEntry.read(entries.get(i));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "an entry of the Redis log of " + group + " cannot be read; skipped", e);
                lastId = entries.get(i).get(0).toString();
                continue;
            }
            if (!apply(entry)) {
                resynchronise();
                return false;
            }
        }
        releaseBarriers();
        return true;
    }

    private boolean apply(LogEntry entry) {
        if (entry.epoch() != epoch || state == null) {
            if (entry.seq() != 1) return false;
            boolean hadState = state != null;
            state = new GroupState(entry.spec(), entry.epoch());
            epoch = entry.epoch();
            lastSeq = 0;
            if (hadState) lostState();
        } else if (entry.seq() <= lastSeq) {
            lastId = entry.id();
            return true;
        } else if (entry.seq() != lastSeq + 1) {
            LOG.warning("the Redis log of " + group + " went from " + lastSeq + " to " + entry.seq()
                    + " (trimmed past this node): loading the latest snapshot");
            return false;
        }
        failedResyncs = 0;
        Outcome outcome = null;
        RuntimeException refused = null;
        try {
            outcome = GroupRules.execute(state, entry.command(), entry.time(), entry.spec());
        } catch (RuntimeException e) {
            // The rules refuse a command they cannot apply whole before changing anything, the same on every node.
            refused = e;
        }
        lastSeq = entry.seq();
        lastId = entry.id();
        boolean mine = entry.node().equals(instance);
        Pending own = mine ? pending.remove(entry.request()) : null;
        if (outcome != null) {
            nextEventAt = outcome.nextEventAt();
            applied.outcome(group, entry.command(), outcome);
            if (own != null) own.answer().complete(outcome);
        } else if (own != null) {
            own.answer().completeExceptionally(refused);
        }
        if (mine && entry.seq() % snapshotEvery == 0) keepSnapshot();
        return true;
    }

    /**
     * Reads the snapshot and the epoch again after a gap. A gap that no snapshot covers (keys evicted or deleted
     * by hand: the start-up check refuses a server that evicts) means the state is lost: the group starts a new
     * epoch, as after a server restarted empty, and the nodes re-register what they hold.
     */
    private void resynchronise() {
        if (++failedResyncs < 3) {
            checkEpoch();
            return;
        }
        LOG.severe("the Redis log of " + group + " misses entries that no snapshot covers: starting the group's"
                + " state anew in a new epoch; the nodes re-register what they hold");
        failedResyncs = 0;
        LogScript.RESET.run(appends, List.of(keys.meta(), keys.log(), keys.snap()), List.of(Long.toString(serverEpoch)))
                .onComplete(ar -> vertx.setTimer(100, id -> context.runOnContext(v -> checkEpoch())));
    }

    /** Stores the copy as the group's snapshot, which lets the server trim the log before it. */
    private void keepSnapshot() {
        byte[] bytes = encode(state::writeTo);
        LogScript.SNAPSHOT.run(appends, List.of(keys.meta(), keys.log(), keys.snap()),
                        List.of(Long.toString(epoch), Long.toString(lastSeq), lastId, bytes))
                .onFailure(error -> LOG.log(Level.FINE, "a snapshot of " + group + " was not stored", error));
    }

    private void readFailed(Throwable error) {
        if (closed) return;
        problem = "Redis unreachable for the log of " + group + ": " + error.getMessage();
        LOG.log(Level.FINE, problem, error);
        if (reading != null) {
            reading.close();
            reading = null;
        }
        vertx.setTimer(250, id -> context.runOnContext(v -> connect()));
    }

    @Override
    public void close() {
        closed = true;
        context.runOnContext(v -> {
            if (reading != null) reading.close();
            for (Barrier b : barriers) b.answer().completeExceptionally(new StoreUnavailableException("closed", null));
            barriers.clear();
        });
        for (Long request : new ArrayList<>(pending.keySet())) {
            fail(request, new StoreUnavailableException("the Redis backend closed", null));
        }
    }

    private interface Encoding {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Encoding encoding) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            encoding.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
