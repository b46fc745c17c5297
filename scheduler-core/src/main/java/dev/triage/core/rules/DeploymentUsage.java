package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;

import java.util.HashMap;
import java.util.Map;

/**
 * What a group's deployments have used in the current rpm window, their slots in flight and their cooldowns. A
 * lease may name a deployment the group's settings no longer have (removed by a newer config): it counts
 * against nothing, and its end changes nothing.
 */
final class DeploymentUsage {

    /** Mutable usage of one deployment. */
    private static final class Usage {
        long rpmUsed;
        long tpmUsed;
        int inFlight;
        int failures;
        long cooldownUntil;
    }

    private final Map<String, Usage> byId = new HashMap<>();
    /** The same usages in deployment order, for scans that should not allocate an iterator and for fits. */
    private final Usage[] inOrder;
    private final Deployment[] deployments;

    DeploymentUsage(GroupSpec spec) {
        deployments = spec.deployments().toArray(Deployment[]::new);
        inOrder = new Usage[deployments.length];
        for (int i = 0; i < inOrder.length; i++) {
            inOrder[i] = byId.computeIfAbsent(spec.deployments().get(i).id(), id -> new Usage());
        }
    }

    private static final Usage NONE = new Usage();

    /**
     * The usage under new settings: a deployment kept keeps its window's counts and cooldown; one added starts
     * from nothing; the slots in flight are counted from the leases held, so a deployment removed and added back
     * is charged for the leases it still has.
     */
    DeploymentUsage reshapedFor(GroupSpec spec, java.util.Collection<Lease> leases) {
        DeploymentUsage next = new DeploymentUsage(spec);
        for (Map.Entry<String, Usage> kept : next.byId.entrySet()) {
            Usage was = byId.get(kept.getKey());
            Usage now = kept.getValue();
            if (was == null) continue;
            now.rpmUsed = was.rpmUsed;
            now.tpmUsed = was.tpmUsed;
            now.failures = was.failures;
            now.cooldownUntil = was.cooldownUntil;
        }
        for (Lease lease : leases) {
            Usage u = next.byId.get(lease.deploymentId());
            if (u != null) u.inFlight++;
        }
        return next;
    }

    /** The usage of a deployment, or a shared empty one for a deployment the settings do not have. */
    private Usage of(String deploymentId) {
        Usage u = byId.get(deploymentId);
        return u != null ? u : NONE;
    }

    DeploymentLoad load(String deploymentId) {
        Usage u = of(deploymentId);
        return new DeploymentLoad(deploymentId, u.rpmUsed, u.tpmUsed, u.inFlight, u.failures, u.cooldownUntil);
    }

    void restore(DeploymentLoad load) {
        Usage u = byId.get(load.deploymentId());
        u.rpmUsed = load.rpmUsed();
        u.tpmUsed = load.tpmUsed();
        u.inFlight = load.inFlight();
        u.failures = load.failures();
        u.cooldownUntil = load.cooldownUntil();
    }

    /**
     * Whether the spec's deployment at {@code index} can take {@code ticket} at {@code now}: not cooling down, and
     * rpm, tpm and a slot free. By position, as the rules ask it of every deployment on every grant they try.
     */
    boolean fits(int index, Ticket ticket, long now) {
        Deployment d = deployments[index];
        Usage u = inOrder[index];
        return u.cooldownUntil <= now
                && u.inFlight < d.maxParallelRequests()
                && u.rpmUsed < d.rpm()
                && (d.tpm() == Deployment.UNLIMITED || d.tpm() - u.tpmUsed >= ticket.tokens());
    }

    boolean coolingDown(Deployment d, long now) {
        return byId.get(d.id()).cooldownUntil > now;
    }

    int inFlight(String deploymentId) {
        return of(deploymentId).inFlight;
    }

    long rpmLeft(Deployment d) {
        return d.rpm() - byId.get(d.id()).rpmUsed;
    }

    int failures(String deploymentId) {
        return of(deploymentId).failures;
    }

    long earliestCooldownEnd(long now) {
        long at = Long.MAX_VALUE;
        for (Usage u : inOrder) {
            if (u.cooldownUntil > now) at = Math.min(at, u.cooldownUntil);
        }
        return at;
    }

    void newWindow() {
        for (Usage u : inOrder) {
            u.rpmUsed = 0;
            u.tpmUsed = 0;
            u.failures = 0;
        }
    }

    /** A grant takes a slot, and in its own window an rpm unit and its tpm reservation. */
    void charge(Lease lease, boolean currentWindow) {
        Usage u = byId.get(lease.deploymentId());
        if (u == null) return;
        u.inFlight++;
        if (currentWindow) {
            u.rpmUsed++;
            u.tpmUsed = saturatedAdd(u.tpmUsed, lease.tokensReserved());
        }
    }

    /** An ended lease frees its slot; in its own window it is refunded or its reservation replaced by use. */
    void release(Lease lease, boolean currentWindow, long tokensUsed, boolean refund) {
        Usage u = byId.get(lease.deploymentId());
        if (u == null) return;
        u.inFlight--;
        if (currentWindow) {
            if (refund) {
                u.rpmUsed = Math.max(0, u.rpmUsed - 1);
                u.tpmUsed = Math.max(0, u.tpmUsed - lease.tokensReserved());
            } else {
                u.tpmUsed = Math.max(0, saturatedAdd(u.tpmUsed - Math.min(u.tpmUsed, lease.tokensReserved()), tokensUsed));
            }
        }
    }

    void fail(String deploymentId, long cooldownUntil) {
        Usage u = byId.get(deploymentId);
        if (u == null) return;
        u.failures++;
        if (cooldownUntil > u.cooldownUntil) u.cooldownUntil = cooldownUntil;
    }

    /** Token counts come from clients and upstreams: they saturate rather than wrap. */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
