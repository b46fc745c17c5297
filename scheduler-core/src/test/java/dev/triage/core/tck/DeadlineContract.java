package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
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

/** Contract 4: a ticket not granted by its deadline is removed, and its node told why. */
public interface DeadlineContract extends SchedulerContract {

    @Test
    default void aTicketPastItsDeadlineIsExpiredAndItsNodeTold() {
        harness().start(slots("d1", 1));
        NoticeRecorder n1 = harness().notices("n1");
        granted(harness().enqueue("holder", 0));
        long now = harness().clock().millis();
        harness().enqueue("n1", "late", 0, now + 2_000, 0);

        harness().clock().advance(2_000);
        harness().tick();

        assertThat(harness().snapshot().waiting()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(n1.all()).containsExactly(new Notice.Ended("late", EndReason.EXPIRED)));
    }

    @Test
    default void anExpiredTicketIsNeverGrantedEvenIfASlotFreesAtOnce() {
        harness().start(slots("d1", 1));
        Lease holder = granted(harness().enqueue("holder", 0));
        long now = harness().clock().millis();
        harness().enqueue("n0", "late", 0, now + 1_000, 0);
        harness().enqueue("n0", "patient", 5, now + 60_000, 0);

        harness().clock().advance(1_000);
        Outcome released = harness().release(holder.id());

        assertThat(grantedTickets(released)).containsExactly("patient");
    }

    @Test
    default void aTicketWhoseDeadlineHasPassedIsRefusedAtEnqueue() {
        harness().start(slots("d1", 1));

        Outcome outcome = harness().enqueue("n0", "stale", 0, harness().clock().millis(), 0);

        assertThat(outcome.result()).isEqualTo(new Result.Refused(Result.Refusal.EXPIRED));
        assertThat(harness().snapshot().inFlight()).isZero();
    }

    @Test
    default void theOutcomeSaysWhenTheEarliestDeadlineFalls() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));
        long now = harness().clock().millis();
        harness().enqueue("n0", "later", 0, now + 9_000, 0);

        Outcome outcome = harness().enqueue("n0", "sooner", 0, now + 4_000, 0);

        assertThat(outcome.nextEventAt()).isEqualTo(now + 4_000);
    }

    @Test
    default void theOutcomeSaysWhenTheWindowRollsWhileTicketsWait() {
        harness().start(Deployment.unlimited("d1").withRpm(1));
        granted(harness().enqueue("a", 0));

        Outcome outcome = harness().enqueue("b", 0);

        assertThat(outcome.nextEventAt()).isEqualTo(FakeClock.START + 60_000);
    }

    @Test
    default void anIdleGroupAsksForNoTickBeyondItsNodesLeaseBound() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withLeaseBound(15_000));

        Outcome outcome = harness().enqueue("a", 0);

        assertThat(outcome.nextEventAt()).isEqualTo(FakeClock.START + 15_000);
    }

    @Test
    default void theBackendTicksByItselfWhenADeadlineComesDue() {
        // With the real clock a few hundred ms ahead of nothing: the backend's own timer must expire the ticket.
        harness().start(slots("d1", 1));
        NoticeRecorder n0 = harness().notices("n0");
        granted(harness().enqueue("holder", 0));
        harness().enqueue("n0", "soon", 0, harness().clock().millis() + 200, 0);
        harness().clock().advance(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            harness().clock().advance(0);
            assertThat(n0.all()).contains(new Notice.Ended("soon", EndReason.EXPIRED));
        });
    }
}
