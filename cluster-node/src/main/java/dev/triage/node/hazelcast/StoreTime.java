package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.core.StoreClock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's clock as entry processors read it: Hazelcast's cluster time (the same on every member,
 * whatever each machine's wall clock says), unless a test injected a clock for that member.
 */
final class StoreTime {

    private static final Map<String, StoreClock> INJECTED = new ConcurrentHashMap<>();

    private StoreTime() {
    }

    static long now(HazelcastInstance instance) {
        if (instance == null) throw new IllegalStateException("processor ran without its Hazelcast instance");
        StoreClock injected = INJECTED.get(instance.getName());
        return injected != null ? injected.millis() : instance.getCluster().getClusterTime();
    }

    /** Tests only: member {@code instanceName} reads {@code clock} instead of cluster time. */
    static void inject(String instanceName, StoreClock clock) {
        INJECTED.put(instanceName, clock);
    }

    static void forget(String instanceName) {
        INJECTED.remove(instanceName);
    }
}
