package dev.triage.core.tck;

import dev.triage.core.Lease;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract 4: a client that goes away cancels its ticket at once, whatever state it had reached. */
public interface CancelContract extends SchedulerContract {

    @Test
    default void cancellingAWaitingTicketRemovesIt() {
        harness().start(slots("d1", 1));
        Lease holder = granted(harness().enqueue("holder", 0));
        harness().enqueue("gone", 0);
        harness().enqueue("stays", 1);

        assertThat(harness().cancel("gone").result()).isEqualTo(new Result.Cancelled(Result.CancelEffect.WAS_WAITING));
        assertThat(grantedTickets(harness().release(holder.id()))).containsExactly("stays");
    }

    @Test
    default void aCancelThatLosesTheRaceToAGrantReturnsTheLeaseUnused() {
        harness().start(slots("d1", 1));
        Lease holder = granted(harness().enqueue("holder", 0));
        harness().enqueue("racer", 0);
        harness().enqueue("next", 1);
        assertThat(grantedTickets(harness().release(holder.id()))).containsExactly("racer");

        Outcome cancelled = harness().cancel("racer");

        assertThat(cancelled.result()).isEqualTo(new Result.Cancelled(Result.CancelEffect.LEASE_RETURNED));
        assertThat(grantedTickets(cancelled)).containsExactly("next");
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(2);
    }

    @Test
    default void anEnqueueOvertakenByItsOwnCancelIsRefusedNotLeftBehind() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));

        assertThat(harness().cancel("early").result()).isEqualTo(new Result.Cancelled(Result.CancelEffect.UNKNOWN));
        Outcome enqueued = harness().enqueue("early", 0);

        assertThat(enqueued.result()).isEqualTo(new Result.Refused(Result.Refusal.ALREADY_ENDED));
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void cancellingAnEndedTicketChangesNothing() {
        harness().start(slots("d1", 1));
        Lease lease = granted(harness().enqueue("done", 0));
        harness().release(lease.id());

        Outcome cancelled = harness().cancel("done");

        assertThat(cancelled.result()).isEqualTo(new Result.Cancelled(Result.CancelEffect.UNKNOWN));
        assertThat(harness().snapshot().inFlight()).isZero();
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
    }

    @Test
    default void aCancelledTicketIsNotToldToItsNode() {
        harness().start(slots("d1", 1));
        NoticeRecorder n1 = harness().notices("n1");
        granted(harness().enqueue("holder", 0));
        harness().enqueue("n1", "gone", 0);

        harness().run("n1", new Command.Cancel("gone"));
        harness().run("n1", new Command.Tick());

        assertThat(n1.all()).isEmpty();
    }
}
