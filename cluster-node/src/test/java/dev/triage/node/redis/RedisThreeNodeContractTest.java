package dev.triage.node.redis;

/** The whole scheduling contract on three nodes in Redis mode sharing one real redis-server. */
class RedisThreeNodeContractTest extends RedisServerContractTest {

    @Override
    int nodes() {
        return 3;
    }
}
