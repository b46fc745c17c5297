package dev.triage.node.redis;

import dev.triage.config.RedisSettings;
import dev.triage.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

import java.net.URI;

/** A Redis client for the configured server or cluster. */
public final class RedisConnections {

    /** Appends in flight at once; each group's reader holds one connection more. */
    private static final int POOL_SIZE = 32;
    /** Commands awaiting their reply on one connection; past it the client refuses them ("waiting queue is full"). */
    static final int MAX_IN_FLIGHT = 200_000;

    private RedisConnections() {
    }

    public static Redis client(Vertx vertx, RedisSettings settings) {
        RedisOptions options = new RedisOptions()
                .setType(settings.cluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                // The replies are read as RESP2 arrays whatever the server would prefer.
                .setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolSize(POOL_SIZE + 64)
                .setMaxPoolWaiting(100_000)
                // Appends share one pipelined connection: a burst of waiters is that many replies awaited on it.
                .setMaxWaitingHandlers(MAX_IN_FLIGHT);
        for (URI endpoint : settings.endpoints()) options.addConnectionString(endpoint.toString());
        settings.username().ifPresent(options::setUser);
        settings.password().map(Secret::reveal).ifPresent(options::setPassword);
        return Redis.createClient(vertx, options);
    }

    /** The first endpoint, for messages: {@code redis://10.0.0.5:6379}. */
    public static String describe(RedisSettings settings) {
        return settings.cluster() ? "Redis Cluster " + settings.endpoints() : "Redis at " + settings.endpoints().get(0);
    }
}
