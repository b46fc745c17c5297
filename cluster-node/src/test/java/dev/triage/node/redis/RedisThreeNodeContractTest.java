package dev.triage.node.redis;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/** The whole scheduling contract on three nodes in Redis mode sharing one real redis-server, commands from node n<i> arriving at node i. */
class RedisThreeNodeContractTest extends AbstractSchedulerContractTest {

    private static TestRedis redis;
    private static Vertx vertx;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        vertx.close().await();
        redis.close();
    }

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("redis-3", (groups, clock) -> new RedisFleet(vertx, redis.url(), 3, groups, clock,
                RedisBackend.SNAPSHOT_EVERY), Set.of(BackendSpec.Capability.INJECTED_CLOCK), 0.25);
    }
}
