package dev.triage.core.tck;

import dev.triage.core.GroupSpec;
import dev.triage.core.StoreClock;

import java.util.List;
import java.util.Set;

/**
 * How the contract suite gets a backend: a name for reports, a factory, and what the backend can do
 * (a test that needs a capability the backend lacks is skipped, not failed).
 */
public record BackendSpec(String name, Factory factory, Set<Capability> capabilities) {

    @FunctionalInterface
    public interface Factory {
        /** Starts a backend serving these groups whose store reads {@code clock}. */
        BackendFixture start(List<GroupSpec> groups, StoreClock clock) throws Exception;
    }

    public enum Capability {
        /** The store reads the injected clock, so tests can move time. */
        INJECTED_CLOCK
    }

    public BackendSpec {
        capabilities = Set.copyOf(capabilities);
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    @Override
    public String toString() {
        return name;
    }
}
