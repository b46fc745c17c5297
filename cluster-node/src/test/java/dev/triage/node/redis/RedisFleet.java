package dev.triage.node.redis;

import dev.triage.core.GroupSpec;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.BackendFixture;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Nodes in Redis mode for a test: each a backend with a Redis client of its own, all on one server under a
 * prefix of their own, so that tests sharing the server never see each other's keys.
 */
final class RedisFleet implements BackendFixture {

    private final List<Redis> clients = new ArrayList<>();
    private final List<RedisBackend> backends = new ArrayList<>();
    private final String prefix = "test-" + UUID.randomUUID();

    RedisFleet(Vertx vertx, String url, int nodes, List<GroupSpec> groups, StoreClock clock, int snapshotEvery) {
        this(() -> client(vertx, List.of(url), false), vertx, nodes, groups, clock, snapshotEvery);
    }

    RedisFleet(Supplier<Redis> newClient, Vertx vertx, int nodes, List<GroupSpec> groups, StoreClock clock,
               int snapshotEvery) {
        for (int i = 0; i < nodes; i++) {
            Redis client = newClient.get();
            clients.add(client);
            backends.add(new RedisBackend(vertx, client, prefix, groups, clock, snapshotEvery));
        }
    }

    /** A client of one server, or of a Redis Cluster given its seeds. */
    static Redis client(Vertx vertx, List<String> urls, boolean cluster) {
        RedisOptions options = new RedisOptions().setType(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxPoolSize(64).setMaxPoolWaiting(100_000)
                .setMaxWaitingHandlers(RedisConnections.MAX_IN_FLIGHT);
        urls.forEach(options::addConnectionString);
        return Redis.createClient(vertx, options);
    }

    /** The key prefix these nodes share. */
    String prefix() {
        return prefix;
    }

    @Override
    public int members() {
        return backends.size();
    }

    @Override
    public SchedulerBackend member(int index) {
        return backends.get(index);
    }

    @Override
    public void close() {
        backends.forEach(RedisBackend::close);
        clients.forEach(Redis::close);
    }
}
