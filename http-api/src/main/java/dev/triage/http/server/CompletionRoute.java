package dev.triage.http.server;

import dev.triage.http.ApiException;
import dev.triage.http.CompletionRequest;
import dev.triage.http.Endpoint;
import dev.triage.http.Router;
import dev.triage.http.ScheduledCall;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** POST a completion: parse and validate the body, then hand it to the router, which answers. */
final class CompletionRoute implements Handler<RoutingContext> {

    static final String CALL = "triage.call";
    static final String REQUEST = "triage.request";

    private final Router router;
    private final Endpoint endpoint;

    CompletionRoute(Router router, Endpoint endpoint) {
        this.router = router;
        this.endpoint = endpoint;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Buffer body = ctx.get(BodyReader.BODY);
        CompletionRequest request;
        try {
            request = CompletionRequest.parse(body.getBytes(), endpoint,
                    router.defaultPriority());
        } catch (ApiException e) {
            ErrorResponses.send(ctx.response(), e);
            return;
        }
        ctx.put(REQUEST, request);
        String requestId = ctx.get(AccessLog.REQUEST_ID);
        ScheduledCall call = router.dispatch(request, new HttpResponseSink(ctx.response()), requestId,
                ctx.vertx().getOrCreateContext());
        ctx.put(CALL, call);
    }
}
