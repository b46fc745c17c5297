package dev.triage.core.tck;


import dev.triage.core.GroupSpec;
import dev.triage.core.spi.StoreClock;

import java.util.List;
import java.util.Set;

/**
 * How the contract suite gets a backend: a name for reports, a factory, and what the backend can do
 * (a test that needs a capability the backend lacks is skipped, not failed).
 */
public record BackendSpec(String name, Factory factory, Set<Capability> capabilities, double workScale) {

    @FunctionalInterface
    public interface Factory {
        /** Starts a backend serving these groups whose store reads {@code clock}. */
        BackendFixture start(List<GroupSpec> groups, StoreClock clock) throws Exception;
    }

    public enum Capability {
        /** The store reads the injected clock, so tests can move time. */
        INJECTED_CLOCK
    }

    /**
     * @param workScale how much of the randomized and bulk work to run, from 0 to 1: a backend whose commands
     *                  cross threads or processes (a cluster) runs fewer random seeds to keep the build short
     */
    public BackendSpec {
        capabilities = Set.copyOf(capabilities);
        if (!(workScale > 0 && workScale <= 1)) throw new IllegalArgumentException("workScale in (0, 1]: " + workScale);
    }

    public BackendSpec(String name, Factory factory, Set<Capability> capabilities) {
        this(name, factory, capabilities, 1.0);
    }

    /** {@code count} scaled down by {@link #workScale()}, at least 1. */
    public int scaled(int count) {
        return Math.max(1, (int) Math.round(count * workScale));
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    @Override
    public String toString() {
        return name;
    }
}
