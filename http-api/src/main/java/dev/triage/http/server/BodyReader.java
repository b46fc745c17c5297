package dev.triage.http.server;

import dev.triage.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body whole, up to a limit, whatever its content type says. Vert.x's body handler decodes a
 * body sent as {@code application/x-www-form-urlencoded} (what {@code curl -d} sends) as a form and refuses one
 * over its form attribute size; LiteLLM reads JSON whatever the type, so a completion body is bytes here and
 * the parser decides.
 */
final class BodyReader implements Handler<RoutingContext> {

    static final String BODY = "triage.body";

    private final long limit;

    BodyReader(long limit) {
        this.limit = limit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = declaredLength(request);
        if (declared > limit) {
            tooLarge(ctx);
            return;
        }
        if (request.isEnded()) {
            ctx.put(BODY, Buffer.buffer());
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) ctx.response().writeContinue();
        Buffer body = Buffer.buffer((int) Math.min(limit, declared > 0 ? declared : 1024));
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) return;
            if (body.length() + (long) chunk.length() > limit) {
                refused[0] = true;
                tooLarge(ctx);
                return;
            }
            body.appendBuffer(chunk);
        }).exceptionHandler(error -> {
            // The client broke the body off (or sent a malformed chunk): nothing was scheduled.
            if (!refused[0]) {
                refused[0] = true;
                ErrorResponses.send(ctx.response(), ApiException.invalidRequest("the request body could not be read: "
                        + error.getMessage(), null));
            }
        }).endHandler(end -> {
            if (refused[0]) return;
            ctx.put(BODY, body);
            ctx.next();
        });
        request.resume();
    }

    /** 413, and the connection closed once it is written: the rest of an oversized body is not read. */
    private void tooLarge(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean bodyLeft = !request.isEnded();
        if (bodyLeft) ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ErrorResponses.send(ctx.response(), ApiException.tooLarge(limit)).onComplete(written -> {
            if (bodyLeft) request.connection().close();
        });
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty()) return -1;
        try {
            return Long.parseLong(length);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
