package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import org.junit.jupiter.api.Test;

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
            RandomCommands commands = new RandomCommands(seed);
            GroupState primary = new GroupState(SPEC, 7);
            GroupState backup = new GroupState(SPEC, 7);
            for (int step = 0; step < 2_000; step++) {
                Command command = commands.next(primary);
                Outcome outcome = GroupRules.execute(primary, command, commands.now);
                backup.replay(outcome);
                commands.track(primary, outcome);

                assertThat(backup.snapshot()).as("seed %d step %d after %s", seed, step, command)
                        .isEqualTo(primary.snapshot());
                assertThat(backup.nodesLastSeen()).isEqualTo(primary.nodesLastSeen());
                assertThat(backup.rememberedCount()).isEqualTo(primary.rememberedCount());
            }
        }
    }
}
