package dev.triage.node.hazelcast;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/** The whole scheduling contract on one real Hazelcast member. */
class HazelcastOneMemberContractTest extends AbstractSchedulerContractTest {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("hazelcast-1", (groups, clock) -> cluster.fixture(groups, clock),
                Set.of(BackendSpec.Capability.INJECTED_CLOCK), 0.25);
    }
}
