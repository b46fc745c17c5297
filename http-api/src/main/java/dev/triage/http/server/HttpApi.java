package dev.triage.http.server;

import dev.triage.http.ApiException;
import dev.triage.http.Endpoint;
import dev.triage.http.HttpLimits;
import dev.triage.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The OpenAI-compatible HTTP surface of a node. Handlers are thin: auth, size, parse, then the
 * {@link Router}; no scheduling logic lives here.
 */
public final class HttpApi {

    private static final String[] CHAT_PATHS = {"/chat/completions", "/v1/chat/completions", "/queue/chat/completions"};
    private static final String[] COMPLETION_PATHS = {"/completions", "/v1/completions", "/queue/completions"};

    private final Vertx vertx;
    private final io.vertx.ext.web.Router routes;
    private HttpServer server;

    public HttpApi(Vertx vertx, Router router, Optional<String> masterKey, HttpLimits limits,
                   PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.vertx = vertx;
        this.routes = io.vertx.ext.web.Router.router(vertx);
        InfoRoutes info = new InfoRoutes(router, registry, ready);
        BearerAuth auth = new BearerAuth(masterKey);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());

        routes.route().handler(new AccessLog(registry));
        routes.get("/health/liveliness").handler(info::liveness);
        routes.get("/health/liveness").handler(info::liveness);
        routes.get("/health/readiness").handler(info::readiness);
        routes.get("/metrics").handler(info::metrics);
        for (String path : new String[] {"/v1/models", "/models"}) routes.get(path).handler(auth).handler(info::models);
        // Auth on its own route, before the body is read: Vert.x wants a body handler first on any route.
        for (String path : CHAT_PATHS) {
            routes.post(path).handler(auth);
            routes.post(path).handler(body).handler(new CompletionRoute(router, Endpoint.CHAT));
        }
        for (String path : COMPLETION_PATHS) {
            routes.post(path).handler(auth);
            routes.post(path).handler(body).handler(new CompletionRoute(router, Endpoint.COMPLETION));
        }
        long limit = limits.maxBodyBytes();
        routes.errorHandler(404, ctx -> fail(ctx, ApiException.routeNotFound(ctx.request().path())));
        routes.errorHandler(405, ctx -> fail(ctx, new ApiException(405, "invalid_request_error", "method_not_allowed",
                null, ctx.request().method() + " is not allowed on " + ctx.request().path(), 0)));
        routes.errorHandler(413, ctx -> fail(ctx, ApiException.tooLarge(limit)));
        routes.errorHandler(400, ctx -> fail(ctx, ApiException.invalidRequest("malformed request", null)));
        routes.errorHandler(500, ctx -> fail(ctx, new ApiException(500, "api_error", "internal_error", null,
                "internal error; the request was not scheduled", 0)));
    }

    private static void fail(RoutingContext ctx, ApiException error) {
        ErrorResponses.send(ctx.response(), error);
    }

    /** Starts listening; {@code port} 0 picks a free port (read it from the returned server). */
    public Future<HttpServer> listen(int port, String host) {
        return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost(host)
                        .setMaxHeaderSize(16 * 1024).setCompressionSupported(false))
                .requestHandler(routes)
                .listen()
                .onSuccess(started -> server = started);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
