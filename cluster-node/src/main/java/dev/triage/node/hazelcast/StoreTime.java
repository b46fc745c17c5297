package dev.triage.node.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.triage.core.spi.StoreClock;

/**
 * The store's clock as entry processors read it: Hazelcast's cluster time (the same on every member,
 * whatever each machine's wall clock says), unless a test gave that member a clock of its own. The clock lives in
 * the member's user context, so it goes with the member and no registry outlives it.
 */
final class StoreTime {

    private static final String CLOCK = "triage.storeClock";

    private StoreTime() {
    }

    static long now(HazelcastInstance instance) {
        if (instance == null) throw new IllegalStateException("processor ran without its Hazelcast instance");
        return instance.getUserContext().get(CLOCK) instanceof StoreClock injected
                ? injected.millis() : instance.getCluster().getClusterTime();
    }

    /** Tests only: the member reads {@code clock} instead of cluster time. */
    static void inject(HazelcastInstance member, StoreClock clock) {
        member.getUserContext().put(CLOCK, clock);
    }

    /** Tests only: a member started from {@code config} reads {@code clock} from its start. */
    static void inject(Config config, StoreClock clock) {
        config.getUserContext().put(CLOCK, clock);
    }
}
