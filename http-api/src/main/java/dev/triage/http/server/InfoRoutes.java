package dev.triage.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.core.spi.StoreHealth;
import dev.triage.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;


/** The read-only routes: models, health probes and the Prometheus scrape. */
final class InfoRoutes {

    private final Router router;
    private final PrometheusMeterRegistry registry;
    private final long created = System.currentTimeMillis() / 1000;

    InfoRoutes(Router router, PrometheusMeterRegistry registry) {
        this.router = router;
        this.registry = registry;
    }

    /** OpenAI's list format: one entry per model group. */
    void models(RoutingContext ctx) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : router.models()) {
            ObjectNode entry = data.addObject();
            entry.put("id", model);
            entry.put("object", "model");
            entry.put("created", created);
            entry.put("owned_by", "triage");
        }
        ctx.response().putHeader("content-type", "application/json").end(list.toString());
    }

    /** LiteLLM answers its liveliness probe with this JSON string. */
    void liveness(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end("\"I'm alive!\"");
    }

    /** Ready only while the scheduler store is reachable and this node may admit. */
    void readiness(RoutingContext ctx) {
        StoreHealth health = router.storeHealth();
        boolean isReady = !router.isDraining() && health.healthy();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", isReady ? "ready" : "unavailable");
        if (router.isDraining()) {
            body.put("reason", "this node is shutting down");
        } else {
            health.problem().ifPresent(problem -> body.put("reason", problem));
        }
        body.put("draining", router.isDraining());
        body.put("active_calls", router.activeCalls());
        // Still ready: the node serves under the group's newer settings; its file wants updating.
        java.util.Set<String> behind = router.settingsBehind();
        if (!behind.isEmpty()) behind.stream().sorted().forEach(body.putArray("config_behind")::add);
        ctx.response().setStatusCode(isReady ? 200 : 503).putHeader("content-type", "application/json")
                .end(body.toString());
    }

    void metrics(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }
}
