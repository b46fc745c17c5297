package dev.triage.http.server;

import dev.triage.http.ApiException;
import dev.triage.http.Endpoint;
import dev.triage.http.HttpLimits;
import dev.triage.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI-compatible HTTP surface of a node. Handlers are thin: auth, size, parse, then the
 * {@link Router}; no scheduling logic lives here.
 */
public final class HttpApi {

    private static final String[] CHAT_PATHS = {"/chat/completions", "/v1/chat/completions", "/queue/chat/completions"};
    private static final String[] COMPLETION_PATHS = {"/completions", "/v1/completions", "/queue/completions"};

    /** Servers, each on its own event loop: as many as cores, at least two. */
    static final int SERVERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Vertx vertx;
    private final Router router;
    private volatile ApiAccess access;
    private final BearerAuth auth;
    private volatile ConfigReload reload;
    private final HttpLimits limits;
    private final PrometheusMeterRegistry registry;
    private final AccessLogWriter accessLog;
    private final List<HttpServer> servers = new ArrayList<>();

    public HttpApi(Vertx vertx, Router router, ApiAccess access, HttpLimits limits,
                   PrometheusMeterRegistry registry) {
        this(vertx, router, access, limits, registry, AccessLogWriter.shared());
    }

    HttpApi(Vertx vertx, Router router, ApiAccess access, HttpLimits limits, PrometheusMeterRegistry registry,
            AccessLogWriter accessLog) {
        this.vertx = vertx;
        this.router = router;
        this.access = access;
        this.auth = new BearerAuth(access.masterKey());
        this.limits = limits;
        this.registry = registry;
        this.accessLog = accessLog;
    }

    /** Serves {@code POST /config/reload} with {@code reload}; call it before {@link #listen}. */
    public void reloadWith(ConfigReload reload) {
        this.reload = reload;
    }

    /** Who may call what from now on: a reload may set, change or remove the master key. */
    public void reconfigure(ApiAccess next) {
        access = next;
        auth.use(next.masterKey());
    }

    /** One set of routes; each event loop's server gets its own. */
    private io.vertx.ext.web.Router routes() {
        io.vertx.ext.web.Router routes = io.vertx.ext.web.Router.router(vertx);
        InfoRoutes info = new InfoRoutes(router, registry);
        BodyReader body = new BodyReader(limits.maxBodyBytes());

        routes.route().handler(new AccessLog(registry, accessLog));
        routes.get("/health/liveliness").handler(info::liveness);
        routes.get("/health/liveness").handler(info::liveness);
        routes.get("/health/readiness").handler(info::readiness);
        routes.get("/metrics").handler(ctx -> {
            if (access.metricsNeedKey()) auth.handle(ctx);
            else ctx.next();
        }).handler(info::metrics);
        if (reload != null) routes.post("/config/reload").handler(auth).handler(new ReloadRoute(reload, auth));
        for (String path : new String[] {"/v1/models", "/models"}) routes.get(path).handler(auth).handler(info::models);
        // Auth on its own route, before the body is read.
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
        return routes;
    }

    private static void fail(RoutingContext ctx, ApiException error) {
        ErrorResponses.send(ctx.response(), error);
    }

    /**
     * Starts listening, one server per core, each on an event loop of its own sharing the port: a server created
     * once runs every connection on one event loop, which then caps the node at one core. {@code port} 0 picks a
     * free port (read it from the returned server).
     */
    public Future<HttpServer> listen(int port, String host) {
        // Vert.x shares a random port among the servers that ask for the same negative port.
        int shared = port == 0 ? -1 : port;
        List<Future<HttpServer>> listening = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) listening.add(deployServer(shared, host));
        return Future.all(listening).map(all -> listening.get(0).result());
    }

    private Future<HttpServer> deployServer(int port, String host) {
        Promise<HttpServer> listening = Promise.promise();
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost(host)
                                .setMaxHeaderSize(16 * 1024).setCompressionSupported(false))
                        .requestHandler(routes())
                        .listen()
                        .onSuccess(server -> {
                            synchronized (servers) {
                                servers.add(server);
                            }
                            listening.complete(server);
                        });
            }
        }).onFailure(listening::tryFail);
        return listening.future();
    }

    /** Blocks until the access-log lines of the calls answered so far are written, for at most {@code timeout}. */
    public void awaitAccessLogWritten(java.time.Duration timeout) throws InterruptedException {
        accessLog.awaitWritten(timeout);
    }

    public Future<Void> close() {
        List<Future<Void>> closed = new ArrayList<>();
        synchronized (servers) {
            for (HttpServer server : servers) closed.add(server.close());
            servers.clear();
        }
        return Future.all(closed).mapEmpty();
    }
}
