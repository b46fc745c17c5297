package dev.triage.node.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The server's clock as this node reads it between round trips: its own clock plus the offset to Redis TIME,
 * measured at the middle of a TIME round trip now and then. Commands are timed by the server itself (the append
 * script reads TIME); this is for what a node computes ahead, such as a ticket's deadline.
 */
final class RedisClock implements AutoCloseable {

    private static final long MEASURE_EVERY_MILLIS = 30_000;

    private final Vertx vertx;
    private final Redis redis;
    private final long timer;
    private volatile long offsetMillis;

    RedisClock(Vertx vertx, Redis redis) {
        this.vertx = vertx;
        this.redis = redis;
        measure();
        this.timer = vertx.setPeriodic(MEASURE_EVERY_MILLIS, id -> measure());
    }

    long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    private void measure() {
        long sent = System.currentTimeMillis();
        redis.send(Request.cmd(Command.TIME)).onSuccess(time -> {
            long received = System.currentTimeMillis();
            long server = time.get(0).toLong() * 1_000 + time.get(1).toLong() / 1_000;
            offsetMillis = server - (sent + received) / 2;
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
