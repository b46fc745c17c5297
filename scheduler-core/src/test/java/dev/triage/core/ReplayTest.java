package dev.triage.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 9: a backup that applies the primary's recorded changes ends in the same state, without reading a
 * clock or drawing a random number of its own.
 */
class ReplayTest {

    private static final GroupSpec SPEC = GroupSpec.of("g",
                    Deployment.unlimited("d1").withRpm(20).withMaxParallelRequests(2).withTpm(5_000),
                    Deployment.unlimited("d2").withRpm(8).withMaxParallelRequests(3).withWeight(2),
                    Deployment.unlimited("d3").withMaxParallelRequests(1).withOrder(2))
            .withMaxQueueSize(25).withCooldown(1, 3_000).withLeaseBound(10_000);

    @Test
    void aBackupReplayingRecordedChangesMatchesThePrimaryAfterEveryCommand() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            GroupState primary = new GroupState(SPEC, 7);
            GroupState backup = new GroupState(SPEC, 7);
            long now = 1_800_000_000_000L;
            List<Lease> leases = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                now += random.nextInt(400) - (random.nextInt(50) == 0 ? 5_000 : 0);
                Command command = randomCommand(random, step, now, leases);
                Outcome outcome = GroupRules.execute(primary, command, now);
                backup.replay(outcome);
                leases.addAll(outcome.grants());
                if (outcome.result() instanceof Result.Granted g) leases.add(g.lease());
                leases.removeIf(l -> primary.lease(l.id()) == null);

                assertThat(backup.snapshot()).as("seed %d step %d after %s", seed, step, command)
                        .isEqualTo(primary.snapshot());
                assertThat(backup.nodesLastSeen()).isEqualTo(primary.nodesLastSeen());
                assertThat(backup.rememberedCount()).isEqualTo(primary.rememberedCount());
            }
        }
    }

    private static Command randomCommand(Random random, int step, long now, List<Lease> leases) {
        String node = "n" + random.nextInt(3);
        int kind = random.nextInt(10);
        if (kind < 4 || leases.isEmpty()) {
            return new Command.Enqueue("t" + step, random.nextInt(5), node, now + 1_000 + random.nextInt(20_000),
                    random.nextInt(300));
        }
        Lease lease = leases.get(random.nextInt(leases.size()));
        return switch (kind) {
            case 4, 5 -> new Command.Release(lease.id(), switch (random.nextInt(4)) {
                case 0 -> Usage.failed();
                case 1 -> Usage.rateLimited(random.nextInt(5_000));
                case 2 -> Usage.notDispatched();
                default -> Usage.succeeded(random.nextInt(400));
            });
            case 6 -> new Command.Cancel("t" + random.nextInt(step + 1));
            case 7 -> new Command.RenewNode(node);
            case 8 -> random.nextInt(10) == 0 ? new Command.DropNode(node) : new Command.Tick();
            default -> new Command.Requeue("r" + step, lease.ticketId(), lease.priority(), lease.arrival(), node,
                    now + 5_000, 0, Set.of(lease.deploymentId()));
        };
    }
}
