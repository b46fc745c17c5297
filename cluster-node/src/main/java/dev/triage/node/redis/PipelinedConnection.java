package dev.triage.node.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One connection that a backend's appends share, each sent without waiting for the one before (pipelined):
 * through the pool, every append borrowed a connection of its own and waited for it, and 64 callers held 64
 * connections. A connection that fails is dropped and the next request makes a new one; what was in flight on it
 * fails, and its callers retry under the same operation ids.
 */
final class PipelinedConnection implements AutoCloseable {

    private final Redis redis;
    private Future<RedisConnection> current;
    private boolean closed;

    PipelinedConnection(Redis redis) {
        this.redis = redis;
    }

    Future<Response> send(Request request) {
        return connection().compose(connection -> connection.send(request));
    }

    private synchronized Future<RedisConnection> connection() {
        if (closed) return Future.failedFuture(new StoreUnavailableException("the Redis backend closed", null));
        if (current == null || current.failed()) {
            Future<RedisConnection> made = redis.connect();
            made.onSuccess(connection -> {
                connection.exceptionHandler(error -> drop(made));
                connection.endHandler(end -> drop(made));
            });
            current = made;
        }
        return current;
    }

    private synchronized void drop(Future<RedisConnection> broken) {
        if (current == broken) current = null;
        broken.onSuccess(RedisConnection::close);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) current.onSuccess(RedisConnection::close);
        current = null;
    }
}
