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

/**
 * Gives every request an {@code x-request-id} (the client's, if it sent a sane one) and, when it ends, one
 * structured log line and one {@code http.server.requests} timing. A request whose client left before any
 * answer ends with status 499. Lines are written off the event loop ({@link AccessLogWriter}).
 */
final class AccessLog implements Handler<RoutingContext> {

    static final String REQUEST_ID = "triage.requestId";
    /** nginx's status for a client that closed its connection before it got an answer. */
    static final int CLIENT_CLOSED_REQUEST = 499;

    private final MeterRegistry registry;
    private final AccessLogWriter log;
    private final java.util.Map<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    AccessLog(MeterRegistry registry, AccessLogWriter log) {
        this.registry = registry;
        this.log = log;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String requestId = requestId(ctx.request().getHeader("x-request-id"));
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("x-request-id", requestId);
        // Recorded after the task that ended the response, so that what follows the answer (the release of its
        // slot) goes first.
        ctx.addEndHandler(result -> ctx.vertx().getOrCreateContext()
                .runOnContext(v -> record(ctx, requestId, start, result.failed())));
        ctx.next();
    }

    /** Keeps a client's id only if it is short and printable, so it cannot forge log lines or headers. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    /** @param closedEarly the connection closed before the response ended */
    private void record(RoutingContext ctx, String requestId, long start, boolean closedEarly) {
        long nanos = System.nanoTime() - start;
        // The response's status is only a default until its head is written: a client that left before any
        // answer is logged as nginx logs it.
        int status = closedEarly && !ctx.response().headWritten()
                ? CLIENT_CLOSED_REQUEST : ctx.response().getStatusCode();
        String route = ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
                ? ctx.currentRoute().getPath() : "unmatched";
        String method = ctx.request().method().name();
        timers.computeIfAbsent(new TimerKey(method, route, status), key -> Timer.builder("http.server.requests")
                        .tag("method", key.method()).tag("route", key.route()).tag("status", Integer.toString(key.status()))
                        .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (!log.enabled()) return;
        // Only the values are taken here; the line is formatted on the writer's thread.
        CompletionRequest request = ctx.get(CompletionRoute.REQUEST);
        ScheduledCall call = ctx.get(CompletionRoute.CALL);
        log.write(new AccessLine(requestId, method, ctx.request().path(),
                request == null ? null : request.model(), request == null ? null : request.priority(),
                call == null || call.waitedMillis() < 0 ? null : call.waitedMillis(),
                call == null ? null : call.deploymentId(), call == null ? null : call.attempts(), status, nanos));
    }

    private record TimerKey(String method, String route, int status) {
    }

    /** One request's line; every line has the same members, null where the request never got that far. */
    record AccessLine(String requestId, String method, String route, String model, Long priority, Long waitMs,
                      String deployment, Integer attempts, int status, long nanos) {

        String toJson() {
            ObjectNode line = JsonNodeFactory.instance.objectNode();
            line.put("request_id", requestId);
            line.put("method", method);
            line.put("route", route);
            line.put("model", model);
            line.put("priority", priority);
            line.put("wait_ms", waitMs);
            line.put("deployment", deployment);
            line.put("attempts", attempts);
            line.put("status", status);
            line.put("duration_ms", nanos / 1_000_000.0);
            return line.toString();
        }
    }
}
