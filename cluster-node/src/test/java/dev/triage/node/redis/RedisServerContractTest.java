package dev.triage.node.redis;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/**
 * The whole scheduling contract in Redis mode against one real redis-server, with commands from node n<i>
 * arriving at node i; subclasses say how many nodes share it.
 */
abstract class RedisServerContractTest extends AbstractSchedulerContractTest {

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

    abstract int nodes();

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("redis-" + nodes(), (groups, clock) -> new RedisFleet(vertx, redis.url(), nodes(),
                groups, clock, RedisBackend.SNAPSHOT_EVERY), Set.of(BackendSpec.Capability.INJECTED_CLOCK),
                nodes() == 1 ? 1.0 : 0.25);
    }
}
