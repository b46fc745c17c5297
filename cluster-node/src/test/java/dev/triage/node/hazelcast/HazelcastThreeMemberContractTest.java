package dev.triage.node.hazelcast;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/** The whole scheduling contract on three real Hazelcast members, commands from node n<i> arriving at member i. */
class HazelcastThreeMemberContractTest extends AbstractSchedulerContractTest {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("hazelcast-3", (groups, clock) -> cluster.fixture(groups, clock),
                Set.of(BackendSpec.Capability.INJECTED_CLOCK), 0.25);
    }
}
