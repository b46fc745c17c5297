package dev.triage.core.memory;

import dev.triage.core.tck.AbstractSchedulerContractTest;
import dev.triage.core.tck.BackendFixture;
import dev.triage.core.tck.BackendSpec;

import java.util.Set;

class InMemoryBackendContractTest extends AbstractSchedulerContractTest {

    @Override
    protected BackendSpec spec() {
        return new BackendSpec("in-memory",
                (groups, clock) -> BackendFixture.single(new InMemoryBackend(groups, clock, 42)),
                Set.of(BackendSpec.Capability.INJECTED_CLOCK));
    }
}
