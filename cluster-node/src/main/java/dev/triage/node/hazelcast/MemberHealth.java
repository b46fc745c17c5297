package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import dev.triage.core.spi.StoreHealth;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Whether this member may admit, and why not: running, not merging, on the side of a split that has the minimum
 * cluster size, in contact with the state within half the lease bound, and not just back from a pause the others
 * took for its death (a member thawed from a freeze still believes in its old cluster until it tries). The
 * backend feeds it what it sees (answers, pings, merges); each change of verdict is logged once.
 */
final class MemberHealth {

    static final String SPLIT_BRAIN_PROTECTION = "triage-min-members";
    private static final Logger LOG = Logger.getLogger(HazelcastBackend.class.getName());
    private static final long MERGE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final HazelcastInstance instance;
    private final long contactBoundNanos;
    private final long pauseBoundNanos;
    private final long pingEveryNanos;
    private volatile long lastContact = System.nanoTime();
    private volatile long lastPing = System.nanoTime();
    private volatile boolean merging;
    private volatile boolean awaitingMerge;
    private volatile long awaitMergeUntil;
    private final AtomicReference<String> lastProblem = new AtomicReference<>();

    /** @param pingEveryMillis how often the backend pings the state while no command passes */
    MemberHealth(HazelcastInstance instance, long leaseBoundMillis, long pingEveryMillis) {
        this.instance = instance;
        this.contactBoundNanos = TimeUnit.MILLISECONDS.toNanos(leaseBoundMillis / 2);
        String noHeartbeat = instance.getConfig().getProperty("hazelcast.max.no.heartbeat.seconds");
        this.pauseBoundNanos = TimeUnit.SECONDS.toNanos(noHeartbeat == null ? 60 : Long.parseLong(noHeartbeat));
        this.pingEveryNanos = TimeUnit.MILLISECONDS.toNanos(pingEveryMillis);
    }

    /**
     * The state answered a call sent at {@code sentNanos}. The contact counts from the sending, not the answer: an
     * answer to a call sent before a freeze, read only after it, says nothing about the time in between, when the
     * cluster may have dropped this member and given its slots away.
     */
    void contacted(long sentNanos) {
        if (sentNanos - lastContact > 0) lastContact = sentNanos;
    }

    /**
     * A ping is due now. A ping much later than due means this process was paused (a freeze, a long GC) for longer
     * than the others wait for a heartbeat: they have dropped this member, whatever its own stale view says, so it
     * is not ready until it has merged.
     */
    void pinging() {
        long now = System.nanoTime();
        if (now - lastPing > pauseBoundNanos && instance.getCluster().getMembers().size() > 1) {
            awaitMergeUntil = now + MERGE_WAIT_NANOS;
            awaitingMerge = true;
        }
        lastPing = now;
    }

    void mergeStarted() {
        merging = true;
    }

    void merged() {
        merging = false;
        awaitingMerge = false;
    }

    void mergeFailed() {
        merging = false;
    }

    StoreHealth now() {
        String problem = problem();
        String before = lastProblem.get();
        if (!Objects.equals(problem, before) && lastProblem.compareAndSet(before, problem)) {
            if (problem != null) LOG.warning("not admitting: " + problem);
            else LOG.info("admitting again: " + before + " no longer holds");
        }
        return problem == null ? StoreHealth.HEALTHY : StoreHealth.unhealthy(problem);
    }

    /** Why this member may not admit now, or null. */
    private String problem() {
        if (!instance.getLifecycleService().isRunning()) return "the cluster member has stopped";
        if (merging) return "the cluster is merging after a split";
        String tooFew = tooFewMembers();
        if (tooFew != null) return tooFew;
        long now = System.nanoTime();
        if (now - lastContact > contactBoundNanos) {
            return "no answer from the member that holds the scheduler state for "
                    + TimeUnit.NANOSECONDS.toMillis(now - lastContact) + " ms";
        }
        // A ping overdue means this process was paused: until the ping has run and judged the pause, a grant that
        // arrives now may be one the cluster took back meanwhile.
        if (now - lastPing > 2 * pingEveryNanos + TimeUnit.SECONDS.toNanos(1)) {
            return "this process was paused; checking the cluster again";
        }
        if (awaitingMerge && now - awaitMergeUntil < 0) {
            return "this member was paused longer than the cluster waits for it, and is rejoining";
        }
        return null;
    }

    /** "1 of 3 members present, cluster.min_members is 2", or null while there are enough. */
    private String tooFewMembers() {
        SplitBrainProtection protection;
        try {
            protection = instance.getSplitBrainProtectionService().getSplitBrainProtection(SPLIT_BRAIN_PROTECTION);
        } catch (IllegalArgumentException notConfigured) {
            return null;
        }
        if (protection.hasMinimumSize()) return null;
        int present = instance.getCluster().getMembers().size();
        var tcpIp = instance.getConfig().getNetworkConfig().getJoin().getTcpIpConfig();
        int listed = tcpIp.isEnabled() ? tcpIp.getMembers().size() : 0;
        int minimum = instance.getConfig().getSplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION).getMinimumClusterSize();
        String count = listed > present ? present + " of " + listed + " members"
                : present + (present == 1 ? " member" : " members");
        if (present < minimum) return count + " present, cluster.min_members is " + minimum;
        // Membership is known before the protection's heartbeat-based check has confirmed it.
        return count + " present, cluster.min_members is " + minimum + "; waiting for them to be confirmed";
    }
}
