package dev.triage.http.upstream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pooled upstream client per event loop. A connection belongs to the event loop that opened it; a request
 * from another event loop that is handed such a connection is written on the connection's loop and answered on
 * its own, two thread hops more per call. A client per event loop keeps each call on the loop of its request.
 */
public final class UpstreamClients implements AutoCloseable {

    private final Vertx vertx;
    private final int connectionsPerHost;
    private final Map<Thread, HttpClient> byEventLoop = new ConcurrentHashMap<>();
    private final HttpClient shared;

    public UpstreamClients(Vertx vertx, int connectionsPerHost) {
        this.vertx = vertx;
        this.connectionsPerHost = connectionsPerHost;
        this.shared = create();
    }

    private HttpClient create() {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connectionsPerHost));
    }

    /** The client of the calling event loop; off an event loop, a shared one. */
    HttpClient current() {
        if (!Context.isOnEventLoopThread()) return shared;
        return byEventLoop.computeIfAbsent(Thread.currentThread(), loop -> create());
    }

    @Override
    public void close() {
        shared.close();
        byEventLoop.values().forEach(HttpClient::close);
    }
}
