package dev.triage.node;

import dev.triage.config.RedisSettings;
import dev.triage.config.TriageConfig;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.http.SchedulerSettings;
import dev.triage.node.redis.RedisBackend;
import dev.triage.node.redis.RedisConnections;
import dev.triage.node.redis.RedisServerCheck;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/** Redis mode: a client of the configured server, and the backend over it. No cluster port, no member. */
final class RedisStore implements NodeStore {

    private static final long CHECK_TIMEOUT_MILLIS = 5_000;

    private final Redis client;
    private final RedisBackend backend;

    private RedisStore(Redis client, RedisBackend backend) {
        this.client = client;
        this.backend = backend;
    }

    static RedisStore start(TriageConfig config, RedisSettings settings, Vertx vertx) throws Exception {
        Redis client = RedisConnections.client(vertx, settings);
        try {
            RedisServerCheck.check(client, RedisConnections.describe(settings), CHECK_TIMEOUT_MILLIS);
            Response time = RedisServerCheck.send(client, Request.cmd(Command.TIME), RedisConnections.describe(settings),
                    CHECK_TIMEOUT_MILLIS);
            long now = time.get(0).toLong() * 1_000 + time.get(1).toLong() / 1_000;
            return new RedisStore(client, new RedisBackend(vertx, client, settings.keyPrefix(),
                    SchedulerSettings.groupSpecs(config, now), null));
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    @Override
    public SchedulerBackend backend() {
        return backend;
    }

    @Override
    public long time() {
        return backend.now();
    }

    @Override
    public List<String> bindings() {
        return List.of();
    }

    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            client.close();
        }
    }
}
