package dev.triage.node.redis;

/** The whole scheduling contract on one node in Redis mode against a real redis-server. */
class RedisOneNodeContractTest extends RedisServerContractTest {

    @Override
    int nodes() {
        return 1;
    }
}
