package dev.triage.core.tck;

import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Contract 5: leases follow node liveness, never their age. */
public interface NodeContract extends SchedulerContract {

    long BOUND = 15_000;

    private void startWithBound() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 2)).withLeaseBound(BOUND));
    }

    @Test
    default void aLeaseOfANodeThatKeepsRenewingOutlivesAnyCall() {
        startWithBound();
        Lease stream = granted(harness().enqueue("n1", "stream", 0));
        // A ten-minute stream: the node renews every 5 s; nothing reclaims its slot.
        for (int i = 0; i < 120; i++) {
            harness().clock().advance(5_000);
            harness().run("n1", new Command.RenewNode("n1"));
        }

        assertThat(harness().snapshot().leases()).containsExactly(stream);
        assertThat(harness().release(stream.id()).result()).isEqualTo(new Result.Released(true));
    }

    @Test
    default void aNodeSilentForTheLeaseBoundLosesItsLeasesAndTickets() {
        startWithBound();
        granted(harness().enqueue("n1", "a", 0));
        granted(harness().enqueue("n1", "b", 0));
        harness().enqueue("n1", "waiting", 0);
        harness().clock().advance(BOUND - 1);
        harness().run("n2", new Command.RenewNode("n2"));
        assertThat(harness().snapshot().leases()).hasSize(2);

        harness().clock().advance(1);
        harness().run("n2", new Command.Tick());

        assertThat(harness().snapshot().leases()).isEmpty();
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void droppingANodeLeavesOtherNodesTicketsAndLeasesAlone() {
        startWithBound();
        Lease mine = granted(harness().enqueue("n1", "mine", 0));
        Lease theirs = granted(harness().enqueue("n2", "theirs", 0));
        harness().enqueue("n1", "myWait", 0);
        harness().enqueue("n2", "theirWait", 1);

        Outcome dropped = harness().run("n2", new Command.DropNode("n1"));

        assertThat(grantedTickets(dropped)).containsExactly("theirWait");
        assertThat(harness().snapshot().leases()).containsExactlyInAnyOrder(theirs, dropped.grants().get(0));
        assertThat(harness().snapshot().leases()).doesNotContain(mine);
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void aDroppedNodesWaitingTicketsEndWithItsDrop() {
        startWithBound();
        NoticeRecorder n1 = harness().notices("n1");
        granted(harness().enqueue("n2", "a", 0));
        granted(harness().enqueue("n2", "b", 0));
        harness().enqueue("n1", "w", 0);

        harness().run("n2", new Command.DropNode("n1"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(n1.all()).containsExactly(new Notice.Ended("w", EndReason.NODE_DROPPED)));
    }

    @Test
    default void aReclaimedLeaseKeepsItsRpmUnitButFreesItsSlot() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1).withRpm(5)).withLeaseBound(BOUND));
        granted(harness().enqueue("n1", "a", 0));

        harness().run("n2", new Command.DropNode("n1"));

        assertThat(harness().snapshot().load("d1").inFlight()).isZero();
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
    }

    @Test
    default void releasingALeaseTheStoreNoLongerHoldsChangesNothing() {
        startWithBound();
        Lease lease = granted(harness().enqueue("n1", "a", 0));
        harness().run("n2", new Command.DropNode("n1"));
        granted(harness().enqueue("n2", "b", 0));

        Outcome late = harness().release(lease.id());

        assertThat(late.result()).isEqualTo(new Result.Released(false));
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
    }

    @Test
    default void aHeartbeatKeepsANodeWithOnlyWaitingTickets() {
        startWithBound();
        granted(harness().enqueue("n2", "a", 0));
        granted(harness().enqueue("n2", "b", 0));
        harness().enqueue("n1", "patient", 0);
        for (int i = 0; i < 10; i++) {
            harness().clock().advance(5_000);
            harness().run("n1", new Command.RenewNode("n1"));
            harness().run("n2", new Command.RenewNode("n2"));
        }

        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("patient");
    }
}
