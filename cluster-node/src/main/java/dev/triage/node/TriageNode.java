package dev.triage.node;

import dev.triage.config.ClusterSettings;
import dev.triage.config.TriageConfig;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.http.Drain;
import dev.triage.http.HttpLimits;
import dev.triage.http.Router;
import dev.triage.http.server.ApiAccess;
import dev.triage.http.server.HttpApi;
import dev.triage.http.server.WarmUp;
import dev.triage.node.cli.NodeOptions;
import dev.triage.node.cli.RunningNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One Triage node: where it keeps its queues (its embedded Hazelcast member, or a Redis server), the backend on
 * it, the router and the HTTP API, wired. Stops gracefully on close
 * (or SIGTERM): new requests get 503, waiting ones a clear 503, admitted calls finish.
 */
public final class TriageNode implements RunningNode {

    private static final Logger LOG = Logger.getLogger(TriageNode.class.getName());
    private final Vertx vertx;
    private final NodeStore store;
    private final Router router;
    private final HttpApi api;
    private final String url;
    private final List<String> bindings;
    private final ConfigReloader reloader;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread shutdownHook;
    private volatile boolean closing;

    private TriageNode(Vertx vertx, NodeStore store, Router router, HttpApi api, ConfigReloader reloader, String url,
                       List<String> bindings) {
        this.vertx = vertx;
        this.store = store;
        this.router = router;
        this.api = api;
        this.url = url;
        this.bindings = List.copyOf(bindings);
        this.reloader = reloader;
        this.shutdownHook = new Thread(this::close, "triage-shutdown");
    }

    public static TriageNode start(TriageConfig config, NodeOptions options) throws Exception {
        String nodeId = "node-" + UUID.randomUUID();
        // Whatever fails from here on, what was started is stopped, newest first: a node that did not start
        // must leave no cluster member behind (it would hold the cluster port, and the cluster would count it).
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            Vertx vertx = Vertx.vertx();
            undo.push(vertx::close);
            NodeStore store = config.redis().isPresent()
                    ? RedisStore.start(config, config.redis().get(), vertx)
                    : HazelcastStore.start(config, options.effectiveCluster(config.cluster()), nodeId);
            undo.push(store::close);
            SchedulerBackend backend = store.backend();
            HttpLimits limits = HttpLimits.from(config);
            Router router = new Router(vertx, config, backend, nodeId, limits);
            undo.push(router::close);
            PrometheusMeterRegistry registry = NodeMetrics.create(nodeId);
            NodeMetrics.bindScheduler(registry, backend, router);
            HttpApi api = new HttpApi(vertx, router, ApiAccess.from(config), limits,
                    registry);
            warmUp(vertx, router, limits);
            ConfigReloader reloader = new ConfigReloader(options.configFile(), System.getenv(), config, next -> {
                router.reconfigure(next);
                api.reconfigure(ApiAccess.from(next));
            });
            api.reloadWith(reloader);
            undo.push(reloader::close);
            HttpServer server = listen(api, options);
            String host = options.httpHost().equals(ClusterSettings.EVERY_INTERFACE) ? "127.0.0.1" : options.httpHost();
            List<String> bindings = new ArrayList<>();
            bindings.add("HTTP on " + (options.httpHost().equals(ClusterSettings.EVERY_INTERFACE)
                    ? "every interface (0.0.0.0), port " + server.actualPort()
                    : options.httpHost() + ":" + server.actualPort()));
            bindings.addAll(store.bindings());
            TriageNode node = new TriageNode(vertx, store, router, api, reloader,
                    "http://" + host + ":" + server.actualPort(), bindings);
            reloader.reloadOnSighup();
            reloader.watchFile();
            Runtime.getRuntime().addShutdownHook(node.shutdownHook);
            return node;
        } catch (Throwable e) {
            undo.forEach(TriageNode::runQuietly);
            throw e;
        }
    }

    private static HttpServer listen(HttpApi api, NodeOptions options) {
        try {
            return api.listen(options.httpPort(), options.httpHost()).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("HTTP port " + options.httpPort() + " on " + options.httpHost() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void warmUp(Vertx vertx, Router router, HttpLimits limits) {
        try {
            router.warmUp().await(10, TimeUnit.SECONDS);
            WarmUp.run(vertx, limits).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("warming up did not finish (the first calls may be slower): " + e);
        }
    }

    /** One step of undoing a failed start; its failure must not hide the start's. */
    private static void runQuietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warning("cleaning up after a failed start: " + e);
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public List<String> bindings() {
        return bindings;
    }

    public Router router() {
        return router;
    }

    SchedulerBackend backend() {
        return store.backend();
    }

    @Override
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /**
     * Drains, then leaves: new calls get 503 from the first moment to the last (a load balancer needs an answer,
     * not a refused connection, so the HTTP port closes last), waiting calls get 503 at once, and admitted calls
     * run on for up to {@code general_settings.drain_timeout}.
     */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        long start = System.nanoTime();
        reloader.close();
        Duration drainTimeout = router.config().general().drainTimeout();
        try {
            LOG.info("stopping: new calls get 503; " + router.waitingCalls() + " waiting get 503 now; "
                    + router.admittedCalls() + " in flight may finish within the drain timeout of "
                    + seconds(drainTimeout) + " (general_settings.drain_timeout)");
            Drain drain = router.shutdown(drainTimeout).await(drainTimeout.toSeconds() + 10, TimeUnit.SECONDS);
            if (drain.cutOff() == 0) {
                LOG.info("drained in " + drain.took().toMillis() + " ms: every call in flight finished");
            } else {
                LOG.warning("drain timeout of " + seconds(drainTimeout) + " reached: " + drain.cutOff()
                        + " calls still in flight are cut off with 503");
            }
        } catch (Exception e) {
            LOG.warning("the drain did not finish cleanly: " + e);
        } finally {
            store.close();
            try {
                api.close().await(10, TimeUnit.SECONDS);
                api.awaitAccessLogWritten(Duration.ofSeconds(2));
            } catch (Exception e) {
                LOG.warning("closing the HTTP port: " + e);
            }
            vertx.close();
            LOG.info("stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            stopped.countDown();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the JVM is exiting anyway
                }
            }
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}
