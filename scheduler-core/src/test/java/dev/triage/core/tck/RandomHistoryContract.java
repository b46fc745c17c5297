package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.function.UnaryOperator;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Contracts 1-9 and 11 at once: random histories, from eight threads and from one, with and without configs
 * rolled mid-run, replayed through the {@link ReferenceModel} and the {@link HistoryInvariants}; then single
 * histories those runs found wrong.
 * A failure names its seed; {@code -Dtriage.history.seed=N} reruns just that one.
 */
public interface RandomHistoryContract extends SchedulerContract {

    private void assumeInjectedClock() {
        assumeTrue(harness().spec().has(BackendSpec.Capability.INJECTED_CLOCK), "needs a clock the test can move");
    }

    /** That a run did reach the situations it is meant to judge, so that passing means something. */
    static void assertExercised(HistorySummary summary) {
        assertThat(summary.counts()).as("what the random runs exercised")
                .containsKeys("grants", "queued", "granted", "requeues", "cooldowns", "released:false",
                        "ended:EXPIRED", "ended:SHED", "ended:NODE_DROPPED", "ended:CANCELLED",
                        "refused:QUEUE_FULL", "refused:ALREADY_ENDED", "refused:EXPIRED",
                        "cancelled:WAS_WAITING", "cancelled:UNKNOWN");
    }

    @Test
    default void eightNodesSendingRandomCommandsAtOnceKeepEveryRuleOfTheContract() {
        assumeInjectedClock();
        assertExercised(HistoryWorkload.runSeeds(harness(), "eight-threads", 16,
                new HistoryWorkload.Options(8, 300, 10, false, UnaryOperator.identity())));
    }

    @Test
    default void oneNodeTakingThousandsOfRandomStepsMatchesTheModelAfterEveryCommand() {
        assumeInjectedClock();
        assertExercised(HistoryWorkload.runSeeds(harness(), "one-thread", 4,
                new HistoryWorkload.Options(1, 3_000, 10, true, UnaryOperator.identity())));
    }

    @Test
    default void eightNodesRollingConfigsWhileSendingRandomCommandsKeepEveryRuleOfTheContract() {
        assumeInjectedClock();
        HistorySummary summary = HistoryWorkload.runSeeds(harness(), "config-rollout", 8,
                new HistoryWorkload.Options(8, 300, 10, false, UnaryOperator.identity(), true));
        assertExercised(summary);
        assertThat(summary.counts()).as("contract 11: newer settings adopted, callers on older ones told")
                .containsKeys("specAdopted", "callerBehind");
    }

    @Test
    default void oneNodeReloadingItsConfigMatchesTheModelAfterEveryCommand() {
        assumeInjectedClock();
        HistorySummary summary = HistoryWorkload.runSeeds(harness(), "one-thread-reloads", 3,
                new HistoryWorkload.Options(1, 2_000, 10, true, UnaryOperator.identity(), true));
        assertThat(summary.counts()).containsKeys("specAdopted", "callerBehind", "grants", "ended:SHED");
    }

    // Single histories the random runs found; each is also what the model says in general.

    @Test
    default void aReleaseOfAnUnknownLeaseStillGrantsWhatTheWindowRollFreed() {
        assumeInjectedClock();
        harness().start(Deployment.unlimited("d1").withRpm(1));
        granted(harness().enqueue("first", 0));
        assertThat(harness().enqueue("second", 0).result()).isInstanceOf(Result.Queued.class);
        harness().clock().advance(60_000);

        Outcome released = harness().release("never-granted");

        assertThat(released.result()).isEqualTo(new Result.Released(false));
        assertThat(grantedTickets(released)).as("contract 2: every change ends by granting what fits")
                .containsExactly("second");
    }

    @Test
    default void anEnqueueRefusedForItsPastDeadlineStillGrantsWhatTheWindowRollFreed() {
        assumeInjectedClock();
        harness().start(Deployment.unlimited("d1").withRpm(1));
        granted(harness().enqueue("first", 0));
        harness().enqueue("second", 0);
        harness().clock().advance(60_000);

        Outcome late = harness().enqueue("n0", "late", 0, harness().clock().millis() - 1, 0);

        assertThat(late.result()).isEqualTo(new Result.Refused(Result.Refusal.EXPIRED));
        assertThat(grantedTickets(late)).as("contract 2: every change ends by granting what fits")
                .containsExactly("second");
    }

    @Test
    default void aRequeueOvertakenByItsOwnCancelIsRefusedNotLeftBehind() {
        harness().start(slots("d1", 1));
        Lease failed = granted(harness().enqueue("retried", 0));
        harness().release(failed.id(), Usage.failed());
        // The retry's requeue timed out on its way, so the node cancelled the ticket; then the requeue landed.
        assertThat(harness().cancel("retried").result())
                .isEqualTo(new Result.Cancelled(Result.CancelEffect.UNKNOWN));

        Outcome requeued = harness().run("n0", new Command.Requeue("retried#1", "retried", 0, failed.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of("d1")));

        assertThat(requeued.result()).isEqualTo(new Result.Refused(Result.Refusal.ALREADY_ENDED));
        assertThat(harness().snapshot().waiting()).isEmpty();
        assertThat(harness().snapshot().leases()).isEmpty();
    }
}
