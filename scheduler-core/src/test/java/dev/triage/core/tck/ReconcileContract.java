package dev.triage.core.tck;

import dev.triage.core.EndReason;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract 3 and 10: the node's safety net, and what a node re-registers when the store lost it. */
public interface ReconcileContract extends SchedulerContract {

    private Ticket ticket(String id, long priority, long arrival, String nodeId) {
        return new Ticket(id, priority, arrival, nodeId, harness().clock().millis() + ContractHarness.WAIT, 0, Set.of());
    }

    private Result.Reconciled reconcile(String nodeId, long epoch, List<Ticket> tickets, List<Lease> leases) {
        Outcome outcome = harness().run(nodeId, new Command.Reconcile(nodeId, epoch, tickets, leases));
        return (Result.Reconciled) outcome.result();
    }

    private long epoch() {
        return harness().snapshot().epoch();
    }

    @Test
    default void aGrantWhoseNoticeWasLostIsFoundByReconcile() {
        harness().start(slots("d1", 1));
        Lease holder = granted(harness().enqueue("holder", 0));
        long arrival = ((Result.Queued) harness().enqueue("n1", "w", 0).result()).arrival();
        Lease granted = harness().release(holder.id()).grants().get(0);

        Result.Reconciled result = reconcile("n1", epoch(), List.of(ticket("w", 0, arrival, "n1")), List.of());

        assertThat(result.notices()).containsExactly(new Notice.Granted(granted));
    }

    @Test
    default void aTicketThatEndedIsReportedWithItsReason() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withMaxQueueSize(1)
                .withLeaseBound(ContractHarness.LONG_LEASE_BOUND));
        granted(harness().enqueue("holder", 0));
        long arrival = ((Result.Queued) harness().enqueue("n1", "w", 5).result()).arrival();
        harness().enqueue("urgent", 0);

        Result.Reconciled result = reconcile("n1", epoch(), List.of(ticket("w", 5, arrival, "n1")), List.of());

        assertThat(result.notices()).containsExactly(new Notice.Ended("w", EndReason.SHED));
    }

    @Test
    default void aWaitingTicketNeedsNoNotice() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));
        long arrival = ((Result.Queued) harness().enqueue("n1", "w", 0).result()).arrival();

        Result.Reconciled result = reconcile("n1", epoch(), List.of(ticket("w", 0, arrival, "n1")), List.of());

        assertThat(result.notices()).isEmpty();
        assertThat(result.reRegisteredTickets()).isZero();
    }

    @Test
    default void anUnknownTicketInTheSameEpochIsReportedLost() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));

        Result.Reconciled result = reconcile("n1", epoch(), List.of(ticket("ghost", 0, 99, "n1")), List.of());

        assertThat(result.notices()).containsExactly(new Notice.Ended("ghost", EndReason.LOST));
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void afterANewEpochANodeReRegistersItsTicketsInTheirOrder() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));
        long staleEpoch = epoch() + 1;

        Result.Reconciled result = reconcile("n1", staleEpoch,
                List.of(ticket("late", 5, 7, "n1"), ticket("early", 5, 3, "n1")), List.of());

        assertThat(result.reRegisteredTickets()).isEqualTo(2);
        assertThat(harness().snapshot().waiting()).extracting(Ticket::id).containsExactly("early", "late");
    }

    @Test
    default void aLeaseTheStoreLostIsTakenBackAsDebt() {
        harness().start(slots("d1", 1));
        Lease current = granted(harness().enqueue("n2", "current", 0));
        harness().enqueue("n2", "waiting", 0);
        Lease lost = new Lease("lost@1", "lost", "n1", "d1", harness().snapshot().window(), 0, 0, 0,
                harness().clock().millis());

        Result.Reconciled result = reconcile("n1", epoch() + 1, List.of(), List.of(lost));

        assertThat(result.reRegisteredLeases()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(2);
        // Over the limit: releasing one lease brings usage back to the limit, still no grant.
        assertThat(harness().release(current.id()).grants()).isEmpty();
        assertThat(harness().release(lost.id()).grants()).extracting(Lease::ticketId).containsExactly("waiting");
    }

    @Test
    default void aLeaseAlreadyReleasedIsNotTakenBack() {
        harness().start(slots("d1", 1));
        Lease lease = granted(harness().enqueue("n1", "a", 0));
        harness().release(lease.id(), Usage.succeeded(0));

        Result.Reconciled result = reconcile("n1", epoch(), List.of(), List.of(lease));

        assertThat(result.reRegisteredLeases()).isZero();
        assertThat(harness().snapshot().load("d1").inFlight()).isZero();
    }

    @Test
    default void aThawedNodesReclaimedLeaseCountsAgainAsDebt() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withLeaseBound(15_000));
        Lease frozen = granted(harness().enqueue("n1", "frozen", 0));
        harness().clock().advance(15_000);
        harness().run("n2", new Command.RenewNode("n2"));
        granted(harness().enqueue("n2", "meanwhile", 0));

        Result.Reconciled result = reconcile("n1", epoch(), List.of(), List.of(frozen));

        assertThat(result.reRegisteredLeases()).isEqualTo(1);
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(2);
        assertThat(harness().enqueue("n2", "blocked", 0).result()).isInstanceOf(Result.Queued.class);
    }

    @Test
    default void aDigestThatMatchesTheStoreCostsNoLists() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("n1", "held", 0));
        harness().enqueue("n1", "w1", 0);
        harness().enqueue("n1", "w2", 0);

        Outcome outcome = harness().run("n1", Command.Reconcile.digest("n1", epoch(), 2, 1));

        assertThat(outcome.result()).isEqualTo(new Result.Reconciled(List.of(), 0, 0, true));
    }

    @Test
    default void aDigestThatDisagreesAsksForTheFullLists() {
        harness().start(slots("d1", 1));
        Lease holder = granted(harness().enqueue("holder", 0));
        harness().enqueue("n1", "w", 0);
        harness().release(holder.id());
        // n1 never heard of its grant: it still counts one waiting ticket and no lease.

        Outcome stale = harness().run("n1", Command.Reconcile.digest("n1", epoch(), 1, 0));
        Outcome newEpoch = harness().run("n1", Command.Reconcile.digest("n1", epoch() + 1, 0, 1));

        assertThat(((Result.Reconciled) stale.result()).inSync()).isFalse();
        assertThat(((Result.Reconciled) newEpoch.result()).inSync()).isFalse();
    }
}
