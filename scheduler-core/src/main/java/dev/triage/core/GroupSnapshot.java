package dev.triage.core;

import java.util.List;

/** A consistent read of one group's state: for tests, metrics and the readiness probe. */
public record GroupSnapshot(String group, long epoch, long commit, long now, long window, List<Ticket> waiting,
                            List<Lease> leases, List<DeploymentLoad> loads) {

    public GroupSnapshot {
        waiting = List.copyOf(waiting);
        leases = List.copyOf(leases);
        loads = List.copyOf(loads);
    }

    public DeploymentLoad load(String deploymentId) {
        for (DeploymentLoad load : loads) {
            if (load.deploymentId().equals(deploymentId)) return load;
        }
        throw new IllegalArgumentException("no deployment " + deploymentId + " in " + group);
    }

    public int inFlight() {
        int total = 0;
        for (DeploymentLoad load : loads) total += load.inFlight();
        return total;
    }
}
