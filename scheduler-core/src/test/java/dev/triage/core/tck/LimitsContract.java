package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract 2 and 6: rpm, tpm and max_parallel_requests hold whatever node admitted. */
public interface LimitsContract extends SchedulerContract {

    private long deadline() {
        return harness().clock().millis() + ContractHarness.WAIT;
    }

    @Test
    default void noMoreCallsInFlightThanMaxParallelRequests() {
        harness().start(slots("d1", 2));
        granted(harness().enqueue("n0", "a", 0));
        granted(harness().enqueue("n1", "b", 0));

        assertThat(harness().enqueue("n2", "c", 0).result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(2);
    }

    @Test
    default void aReleasedSlotGoesToTheNextWaiterInTheSameCommand() {
        harness().start(slots("d1", 1));
        Lease a = granted(harness().enqueue("a", 0));
        harness().enqueue("n1", "b", 0);

        Outcome released = harness().release(a.id());

        assertThat(grantedTickets(released)).containsExactly("b");
        assertThat(released.grants().get(0).nodeId()).isEqualTo("n1");
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
    }

    @Test
    default void noMoreGrantsInAWindowThanRpm() {
        harness().start(Deployment.unlimited("d1").withRpm(2));
        Lease a = granted(harness().enqueue("a", 0));
        Lease b = granted(harness().enqueue("b", 0));
        harness().release(a.id());
        harness().release(b.id());

        assertThat(harness().enqueue("c", 0).result()).isInstanceOf(Result.Queued.class);
        harness().clock().advance(59_999);
        assertThat(harness().tick().grants()).isEmpty();
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(2);
    }

    @Test
    default void theMinuteWindowRollGrantsOnlyAsManyAsItFrees() {
        harness().start(Deployment.unlimited("d1").withRpm(2));
        granted(harness().enqueue("a", 0));
        granted(harness().enqueue("b", 0));
        for (int i = 0; i < 5; i++) harness().enqueue("w" + i, 1);

        harness().clock().advance(60_000);
        Outcome rolled = harness().tick();

        assertThat(grantedTickets(rolled)).containsExactly("w0", "w1");
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("w2", "w3", "w4");
    }

    @Test
    default void windowsAreMinuteAlignedNotCountedFromTheFirstCall() {
        harness().start(Deployment.unlimited("d1").withRpm(1));
        harness().clock().advance(59_000);
        granted(harness().enqueue("late", 0));
        assertThat(harness().enqueue("next", 0).result()).isInstanceOf(Result.Queued.class);

        harness().clock().advance(1_000);

        assertThat(grantedTickets(harness().tick())).containsExactly("next");
    }

    @Test
    default void tpmReservationsHoldTicketsUntilTheWindowRolls() {
        harness().start(Deployment.unlimited("d1").withTpm(1_000));
        granted(harness().enqueue("n0", "a", 0, deadline(), 600));

        assertThat(harness().enqueue("n0", "b", 0, deadline(), 600).result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().load("d1").tpmUsed()).isEqualTo(600);
        harness().clock().advance(60_000);
        assertThat(grantedTickets(harness().tick())).containsExactly("b");
    }

    @Test
    default void actualUsageReplacesTheReservation() {
        harness().start(Deployment.unlimited("d1").withTpm(1_000));
        Lease a = granted(harness().enqueue("n0", "a", 0, deadline(), 900));
        harness().enqueue("n0", "b", 0, deadline(), 500);

        Outcome released = harness().release(a.id(), Usage.succeeded(100));

        assertThat(grantedTickets(released)).containsExactly("b");
        assertThat(harness().snapshot().load("d1").tpmUsed()).isEqualTo(600);
    }

    @Test
    default void aTicketOverEveryTpmLimitIsRefusedAtEnqueue() {
        harness().start(Deployment.unlimited("d1").withTpm(1_000), Deployment.unlimited("d2").withTpm(2_000));

        Outcome outcome = harness().enqueue("n0", "huge", 0, deadline(), 2_001);

        assertThat(outcome.result()).isEqualTo(new Result.Refused(Result.Refusal.NEVER_FITS));
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void aTicketThatFitsOneDeploymentIsNotRefused() {
        harness().start(Deployment.unlimited("d1").withTpm(1_000), Deployment.unlimited("d2").withTpm(2_000));

        Lease lease = granted(harness().enqueue("n0", "big", 0, deadline(), 1_500));

        assertThat(lease.deploymentId()).isEqualTo("d2");
    }

    @Test
    default void aCallNeverDispatchedRefundsItsRpmUnit() {
        harness().start(Deployment.unlimited("d1").withRpm(1).withTpm(1_000));
        Lease a = granted(harness().enqueue("n0", "a", 0, deadline(), 400));
        harness().enqueue("b", 0);

        Outcome released = harness().release(a.id(), Usage.notDispatched());

        assertThat(grantedTickets(released)).containsExactly("b");
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").tpmUsed()).isZero();
    }

    @Test
    default void aRefundForAnEarlierWindowLeavesTheNewWindowAlone() {
        harness().start(Deployment.unlimited("d1").withRpm(2));
        Lease old = granted(harness().enqueue("old", 0));
        harness().clock().advance(60_000);
        granted(harness().enqueue("fresh", 0));

        harness().release(old.id(), Usage.notDispatched());

        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
    }

    @Test
    default void aClockThatJumpsBackDoesNotReopenAnUsedWindow() {
        harness().start(Deployment.unlimited("d1").withRpm(1));
        harness().clock().advance(60_000);
        granted(harness().enqueue("a", 0));
        long window = harness().snapshot().window();

        harness().clock().advance(-90_000);

        assertThat(harness().enqueue("b", 0).result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().window()).isEqualTo(window);
        assertThat(harness().snapshot().now()).isEqualTo(FakeClock.START + 60_000);
    }

    @Test
    default void aLeaseKeepsItsSlotAcrossWindows() {
        harness().start(Deployment.unlimited("d1").withRpm(10).withMaxParallelRequests(1));
        granted(harness().enqueue("n0", "stream", 0));
        harness().enqueue("n0", "next", 0);

        harness().clock().advance(60_000);

        assertThat(harness().tick().grants()).isEmpty();
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").rpmUsed()).isZero();
    }
}
