package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.Lease;
import dev.triage.core.RoutingStrategy;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** Deployment choice: order tiers first, then the routing strategy; retries avoid what failed them. */
public interface RoutingContract extends SchedulerContract {

    @Test
    default void aLowerOrderTierIsUsedFirst() {
        harness().start(slots("backup", 5).withOrder(2), slots("primary", 1).withOrder(1));

        assertThat(granted(harness().enqueue("a", 0)).deploymentId()).isEqualTo("primary");
        assertThat(granted(harness().enqueue("b", 0)).deploymentId()).isEqualTo("backup");
    }

    @Test
    default void leastBusyPicksTheDeploymentWithFewestCallsInFlight() {
        harness().start(ContractHarness.group(slots("d1", 5), slots("d2", 5)).withRouting(RoutingStrategy.LEAST_BUSY));
        Lease a = granted(harness().enqueue("a", 0));
        Lease b = granted(harness().enqueue("b", 0));
        assertThat(Set.of(a.deploymentId(), b.deploymentId())).containsExactlyInAnyOrder("d1", "d2");
        harness().release(a.id());

        assertThat(granted(harness().enqueue("c", 0)).deploymentId()).isEqualTo(a.deploymentId());
    }

    @Test
    default void usageBasedRoutingPicksTheMostRpmLeft() {
        harness().start(ContractHarness.group(Deployment.unlimited("small").withRpm(3),
                Deployment.unlimited("large").withRpm(10)).withRouting(RoutingStrategy.USAGE_BASED_ROUTING));
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 13; i++) {
            Lease lease = granted(harness().enqueue("t" + i, 0));
            picks.merge(lease.deploymentId(), 1, Integer::sum);
            harness().release(lease.id());
        }

        assertThat(picks).containsEntry("large", 10).containsEntry("small", 3);
    }

    @Test
    default void simpleShuffleFollowsTheWeights() {
        harness().start(Deployment.unlimited("heavy").withWeight(3), Deployment.unlimited("light").withWeight(1));
        int samples = harness().spec().scaled(2_000);
        int heavy = 0;
        for (int i = 0; i < samples; i++) {
            Lease lease = granted(harness().enqueue("t" + i, 0));
            if (lease.deploymentId().equals("heavy")) heavy++;
            harness().release(lease.id());
        }

        // Three quarters of the grants, within five standard deviations of the binomial.
        double deviation = 5 * Math.sqrt(samples * 0.75 * 0.25);
        assertThat(heavy).isBetween((int) (0.75 * samples - deviation), (int) (0.75 * samples + deviation));
    }

    @Test
    default void aRetryKeepsItsPlaceAheadOfLaterArrivals() {
        harness().start(slots("d1", 1), slots("d2", 1));
        Lease first = granted(harness().enqueue("first", 5));
        Lease other = granted(harness().enqueue("other", 5));
        harness().enqueue("later", 5);
        harness().release(first.id(), Usage.failed());
        // "later" took the slot "first" freed; "first" now retries with its old arrival.

        Outcome requeued = harness().run("n0", new Command.Requeue("first#1", "first", 5, first.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of()));
        harness().enqueue("latest", 5);

        assertThat(requeued.result()).isEqualTo(new Result.Queued(first.arrival()));
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("first", "latest");
        assertThat(grantedTickets(harness().release(other.id()))).containsExactly("first");
    }

    @Test
    default void aRetryAvoidsTheDeploymentThatFailedIt() {
        harness().start(slots("d1", 5), slots("d2", 5).withOrder(2));
        Lease first = granted(harness().enqueue("t", 0));
        assertThat(first.deploymentId()).isEqualTo("d1");
        harness().release(first.id(), Usage.failed());

        Outcome requeued = harness().run("n0", new Command.Requeue("t#1", "t", 0, first.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of("d1")));

        assertThat(granted(requeued).deploymentId()).isEqualTo("d2");
    }

    @Test
    default void aRetryThatWouldAvoidEveryDeploymentMayUseTheFailedOne() {
        harness().start(slots("only", 1));
        Lease first = granted(harness().enqueue("t", 0));
        harness().release(first.id(), Usage.failed());

        Outcome requeued = harness().run("n0", new Command.Requeue("t#1", "t", 0, first.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of("only")));

        assertThat(granted(requeued).deploymentId()).isEqualTo("only");
    }

    @Test
    default void aRequeueWhileItsLeaseIsHeldIsRefused() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("t", 0));

        Outcome requeued = harness().run("n0", new Command.Requeue("t#1", "t", 0, held.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of()));

        assertThat(requeued.result()).isEqualTo(new Result.Refused(Result.Refusal.LEASE_HELD));
    }
}
