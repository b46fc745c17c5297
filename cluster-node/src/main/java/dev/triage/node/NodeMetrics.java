package dev.triage.node;

import dev.triage.core.spi.SchedulerBackend;
import dev.triage.http.Router;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The node's Prometheus registry with the JVM's own meters bound. */
final class NodeMetrics {

    private static final String STORE_COMMANDS = "Commands this node sent to the scheduler store: a call's own"
            + " (enqueue, requeue, release, cancel), or the safety net's (reconcile, heartbeat, tick, node drop)";

    private NodeMetrics() {
    }

    static PrometheusMeterRegistry create(String nodeId) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", nodeId);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** The scheduler's cost, so that the load driver (and a dashboard) can divide it by admitted calls. */
    static void bindScheduler(PrometheusMeterRegistry registry, SchedulerBackend backend, Router router) {
        FunctionCounter.builder("triage.store.commands", backend, b -> b.counters().callCommands())
                .tag("kind", "call")
                .description(STORE_COMMANDS).register(registry);
        FunctionCounter.builder("triage.store.commands", backend, b -> b.counters().safetyNetCommands())
                .tag("kind", "safety_net")
                .description(STORE_COMMANDS).register(registry);
        FunctionCounter.builder("triage.store.round.trips", backend, b -> b.counters().roundTrips())
                .description("Calls to the scheduler store; a batch of commands is one").register(registry);
        FunctionCounter.builder("triage.notice.messages", backend, b -> b.counters().noticeMessages())
                .description("Notice messages (grants, ends) sent to other nodes").register(registry);
        FunctionCounter.builder("triage.admissions", router, Router::admissions)
                .description("Calls admitted on this node").register(registry);
    }
}
