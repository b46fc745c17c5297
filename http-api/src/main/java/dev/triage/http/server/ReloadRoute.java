package dev.triage.http.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.config.ConfigChanges;
import dev.triage.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /config/reload}: reads the node's config file again and answers what changed, or 422
 * {@code invalid_config} with the config error when the file is refused (the running config stays). It changes
 * the node, so it needs the master key, and a node without one refuses it (403).
 */
final class ReloadRoute implements Handler<RoutingContext> {

    private final ConfigReload reload;
    private final BearerAuth auth;

    ReloadRoute(ConfigReload reload, BearerAuth auth) {
        this.reload = reload;
        this.auth = auth;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!auth.keyed()) {
            ErrorResponses.send(ctx.response(), new ApiException(403, "invalid_request_error", "master_key_required",
                    null, "POST /config/reload needs general_settings.master_key to be set", 0));
            return;
        }
        ctx.vertx().executeBlocking(() -> reload.reload("POST /config/reload"), false).onComplete(done -> {
            if (done.failed()) {
                ErrorResponses.send(ctx.response(), new ApiException(500, "api_error", "reload_failed", null,
                        "the reload failed: " + done.cause() + "; the running config stays", 0));
                return;
            }
            ReloadOutcome outcome = done.result();
            if (outcome.refusal().isPresent()) {
                ErrorResponses.send(ctx.response(), new ApiException(422, "invalid_request_error", "invalid_config",
                        null, outcome.refusal().get() + "; the running config stays", 0));
                return;
            }
            ConfigChanges changes = outcome.changes().orElseThrow();
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("reloaded", true);
            body.put("source", outcome.source());
            changes.live().forEach(body.putArray("changes")::add);
            changes.atRestart().forEach(body.putArray("at_restart")::add);
            ctx.response().putHeader("content-type", "application/json").end(body.toString());
        });
    }
}
