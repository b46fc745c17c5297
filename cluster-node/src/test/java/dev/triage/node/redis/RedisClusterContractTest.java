package dev.triage.node.redis;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole scheduling contract on three nodes in Redis mode over a Redis Cluster of three masters, made by
 * {@code redis-cli --cluster create}: each group's keys share a hash tag, so each group is one slot.
 */
class RedisClusterContractTest extends AbstractSchedulerContractTest {

    private static TestRedisCluster cluster;
    private static Vertx vertx;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(TestRedisCluster.available(), "needs Debian's redis-server and redis-cli (.ci/run installs them)");
        cluster = TestRedisCluster.start(3);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopCluster() {
        if (vertx != null) vertx.close().await();
        if (cluster != null) cluster.close();
    }

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("redis-cluster", (groups, clock) -> new RedisFleet(
                () -> RedisFleet.client(vertx, cluster.urls(), true), vertx, 3, groups, clock,
                RedisBackend.SNAPSHOT_EVERY), Set.of(BackendSpec.Capability.INJECTED_CLOCK), 0.25);
    }
}
