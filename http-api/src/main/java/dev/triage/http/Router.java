package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.config.ModelGroupSettings;
import dev.triage.config.TriageConfig;
import dev.triage.core.NodeScheduler;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreHealth;
import dev.triage.http.upstream.UpstreamClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The embeddable router: LiteLLM's {@code Router} in Java. Built from the same settings as a node, it
 * queues each call as a ticket under its priority, waits for the cluster's grant, forwards the call to the
 * granted deployment (retrying elsewhere on failure) and releases the slot exactly once. The HTTP routes
 * use it too, so there is one path.
 *
 * <pre>{@code
 * TriageConfig config = ConfigLoader.load(path);
 * Router router = new Router(vertx, config, backend, "node-1", HttpLimits.from(config));
 * router.chatCompletion(request, 0).onSuccess(answer -> ...);
 * }</pre>
 */
public final class Router implements AutoCloseable {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Router.class.getName());

    /** How long a stop waits for the store to take this node's leave of its queues. */
    private static final long LEAVE_TIMEOUT_MILLIS = 5_000;

    private final Vertx vertx;
    private final NodeScheduler scheduler;
    private final SchedulerBackend backend;
    private final HttpLimits limits;
    private final UpstreamClients clients;
    private volatile ServedConfig served;
    private final AtomicLong waitingBodyBytes = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean draining;
    private volatile boolean stopped;
    private final Supplier<StoreHealth> storeHealth;

    /** A router whose health is its backend's. */
    public Router(Vertx vertx, TriageConfig config, SchedulerBackend backend, String nodeId, HttpLimits limits) {
        this(vertx, config, backend, nodeId, limits, backend::health);
    }

    /**
     * @param storeHealth whether this node may admit now (a cluster member cut off from the state, or on the
     *                    minority side of a split, may not), and why not: meanwhile new calls get 503 at once
     */
    public Router(Vertx vertx, TriageConfig config, SchedulerBackend backend, String nodeId, HttpLimits limits,
                  Supplier<StoreHealth> storeHealth) {
        this.storeHealth = storeHealth;
        this.vertx = vertx;
        this.backend = backend;
        this.limits = limits;
        this.clients = new UpstreamClients(vertx, limits.upstreamConnectionsPerHost());
        try {
            // Checked before the scheduler starts, so that a refused config leaves no scheduler behind.
            this.served = new ServedConfig(config, null, vertx, clients);
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        long polling = Math.max(1, config.router().pollingInterval().toMillis());
        long heartbeat = Math.max(100, config.cluster().leaseBound().toMillis() / 3);
        this.scheduler = new NodeScheduler(backend, nodeId, polling, heartbeat, null);
        scheduler.whenSettingsBehind((group, behind) -> {
            if (behind) {
                LOG.warning("model group " + group + " runs under settings from a newer config than this node's "
                        + config().source() + "; this node's calls follow the group's settings until its file is "
                        + "updated (reload it, or restart the node)");
            } else {
                LOG.info("model group " + group + ": this node's settings are the group's again");
            }
        });
    }

    /**
     * Serves {@code next} from now on: new calls see its groups, deployments, limits of the HTTP layer and
     * timeouts; calls already under way finish under the config they started with. What the store enforces (the
     * groups' limits) is the backend's to adopt. Settings read once at start (the polling interval, the body
     * limits) keep their first value.
     *
     * @throws IllegalArgumentException for a deployment that can be neither called nor mocked (nothing changes)
     */
    public void reconfigure(TriageConfig next) {
        synchronized (this) {
            ServedConfig serving = new ServedConfig(next, served, vertx, clients);
            // The lease bound paces this node's heartbeats, set at start: the store keeps judging by that one.
            TriageConfig forStore = new TriageConfig(next.source(), next.groups(), next.litellm(), next.router(),
                    next.general(), served.config().cluster(), next.redis(), next.warnings());
            backend.serve(SchedulerSettings.groupSpecs(forStore, backend.now()));
            served = serving;
        }
    }

    /** The config served now. */
    public TriageConfig config() {
        return served.config();
    }

    /**
     * Readies each group's state in the store, which a node's first call would otherwise wait for (tens of
     * milliseconds). It sends no call upstream and uses no capacity. The HTTP path is warmed by
     * {@code server.WarmUp}.
     */
    public Future<Void> warmUp() {
        return Future.fromCompletionStage(scheduler.warmUp());
    }

    /** A chat completion at this priority (overriding any {@code priority} in the request). */
    public Future<JsonNode> chatCompletion(ObjectNode request, long priority) {
        return call(request, priority, Endpoint.CHAT);
    }

    /** A text completion at this priority (overriding any {@code priority} in the request). */
    public Future<JsonNode> textCompletion(ObjectNode request, long priority) {
        return call(request, priority, Endpoint.COMPLETION);
    }

    private Future<JsonNode> call(ObjectNode request, long priority, Endpoint endpoint) {
        ObjectNode body = request.deepCopy();
        body.set("priority", LongNode.valueOf(priority));
        body.remove("stream");
        Context context = vertx.getOrCreateContext();
        Promise<JsonNode> answer = Promise.promise();
        context.runOnContext(v -> {
            try {
                CompletionRequest parsed = CompletionRequest.of(body, endpoint, defaultPriority(), body.toString().length());
                CollectingSink sink = new CollectingSink(answer);
                dispatch(parsed, sink, "router-" + java.util.UUID.randomUUID(), context);
            } catch (ApiException e) {
                answer.fail(e);
            }
        });
        return answer.future();
    }

    /** Schedules and forwards one call, answering through {@code sink}; the HTTP routes' entry. */
    public ScheduledCall dispatch(CompletionRequest request, ResponseSink sink, String requestId, Context context) {
        ScheduledCall call = new ScheduledCall(this, request, sink, requestId, context);
        call.start();
        return call;
    }

    // ---- what a ScheduledCall needs ----

    Vertx vertx() {
        return vertx;
    }

    NodeScheduler scheduler() {
        return scheduler;
    }

    HttpLimits limits() {
        return limits;
    }

    /** What a new call is served under; the call keeps it to its end. */
    ServedConfig served() {
        return served;
    }

    AtomicLong waitingBodyBytes() {
        return waitingBodyBytes;
    }

    AtomicLong inFlightCalls() {
        return inFlight;
    }

    boolean draining() {
        return draining;
    }

    /** Whether the router was closed: upstream calls still running are being cut off. */
    boolean stopped() {
        return stopped;
    }

    /** The groups running under settings from a newer config than this node's. */
    public Set<String> settingsBehind() {
        return scheduler.settingsBehind();
    }

    /** Whether this node may admit now, and why not. */
    public StoreHealth storeHealth() {
        return storeHealth.get();
    }

    // ---- for the HTTP layer ----

    public long defaultPriority() {
        return served.defaultPriority();
    }

    public Set<String> models() {
        return served.groups().keySet();
    }

    public List<ModelGroupSettings> modelGroups() {
        return List.copyOf(served.groups().values());
    }

    /** Calls admitted on this node so far (first grants and retries). */
    public long admissions() {
        return scheduler.admissions();
    }

    /** Calls on this node waiting for a grant. */
    public int waitingCalls() {
        return scheduler.waiting();
    }

    /** Calls on this node admitted and not yet ended (each holds a lease). */
    public int admittedCalls() {
        return scheduler.held();
    }

    /** Calls scheduled on this node and not yet answered. */
    public long activeCalls() {
        return inFlight.get();
    }

    /** Stops taking new calls; calls already admitted run to their end. */
    public void drain() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * A graceful stop: new calls get 503, waiting calls get 503 at once (their tickets cancelled), calls already
     * admitted run to their end for up to {@code timeout}; then the node leaves the cluster's queues (a call still
     * running is cut off).
     */
    public Future<Drain> shutdown(Duration timeout) {
        draining = true;
        int waiting = waitingCalls();
        int admitted = admittedCalls();
        scheduler.stopAccepting();
        long start = System.nanoTime();
        Promise<Drain> done = Promise.promise();
        closeWhenIdle(start, start + timeout.toNanos(), waiting, admitted, done);
        return done.future();
    }

    private void closeWhenIdle(long start, long giveUpAt, int waiting, int admitted, Promise<Drain> done) {
        long now = System.nanoTime();
        if (inFlight.get() == 0 || now >= giveUpAt) {
            long cutOff = inFlight.get();
            stopped = true;
            Drain drain = new Drain(waiting, admitted, cutOff, Duration.ofNanos(now - start));
            // The store's own stop comes after this; the leave must not be cut off by it.
            Future.fromCompletionStage(scheduler.leave().orTimeout(LEAVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                    .onComplete(left -> {
                        close();
                        done.complete(drain);
                    });
            return;
        }
        // A timer per check, not a periodic one: Vert.x 5 fails cancelling a periodic timer from its first run.
        vertx.setTimer(10, id -> closeWhenIdle(start, giveUpAt, waiting, admitted, done));
    }

    /** Leaves the cluster's queues at once (leases still held are freed) and closes the upstream client. */
    @Override
    public void close() {
        draining = true;
        stopped = true;
        scheduler.close();
        clients.close();
    }
}
