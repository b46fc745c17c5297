package dev.triage.http.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.http.CompletionRequest;
import dev.triage.http.ScheduledCall;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.logging.Logger;

/**
 * Gives every request an {@code x-request-id} (the client's, if it sent a sane one) and, when it ends, one
 * structured log line and one {@code http.server.requests} timing.
 */
final class AccessLog implements Handler<RoutingContext> {

    static final String REQUEST_ID = "triage.requestId";
    private static final Logger LOG = Logger.getLogger("dev.triage.access");

    private final MeterRegistry registry;

    AccessLog(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String requestId = requestId(ctx.request().getHeader("x-request-id"));
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("x-request-id", requestId);
        ctx.addEndHandler(result -> record(ctx, requestId, start));
        ctx.next();
    }

    /** Keeps a client's id only if it is short and printable, so it cannot forge log lines or headers. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    private void record(RoutingContext ctx, String requestId, long start) {
        long nanos = System.nanoTime() - start;
        int status = ctx.response().getStatusCode();
        String route = ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
                ? ctx.currentRoute().getPath() : "unmatched";
        Timer.builder("http.server.requests")
                .tag("method", ctx.request().method().name())
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("request_id", requestId);
        line.put("method", ctx.request().method().name());
        line.put("route", ctx.request().path());
        CompletionRequest request = ctx.get(CompletionRoute.REQUEST);
        if (request != null) {
            line.put("model", request.model());
            line.put("priority", request.priority());
        }
        ScheduledCall call = ctx.get(CompletionRoute.CALL);
        if (call != null) {
            if (call.waitedMillis() >= 0) line.put("wait_ms", call.waitedMillis());
            if (call.deploymentId() != null) line.put("deployment", call.deploymentId());
            line.put("attempts", call.attempts());
        }
        line.put("status", status);
        line.put("duration_ms", nanos / 1_000_000.0);
        LOG.info(line::toString);
    }
}
