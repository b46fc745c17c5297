package dev.triage.core.tck;

import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract 8: a duplicate command returns the first outcome and changes nothing. */
public interface IdempotenceContract extends SchedulerContract {

    @Test
    default void aDuplicateEnqueueOfAGrantedTicketReturnsTheSameLease() {
        harness().start(slots("d1", 2));
        Command enqueue = new Command.Enqueue("t", 0, "n0", harness().clock().millis() + ContractHarness.WAIT, 0);
        Outcome first = harness().run("n0", enqueue);

        Outcome again = harness().run("n1", enqueue);

        assertThat(again.duplicate()).isTrue();
        assertThat(again.result()).isEqualTo(first.result());
        assertThat(again.commit()).isEqualTo(first.commit());
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
    }

    @Test
    default void aDuplicateEnqueueOfAWaitingTicketKeepsOnePlace() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));
        Command enqueue = new Command.Enqueue("t", 3, "n0", harness().clock().millis() + ContractHarness.WAIT, 0);
        Outcome first = harness().run("n0", enqueue);
        harness().enqueue("other", 3);

        Outcome again = harness().run("n0", enqueue);

        assertThat(again.result()).isEqualTo(first.result());
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("t", "other");
    }

    @Test
    default void aDuplicateReleaseFreesTheSlotOnce() {
        harness().start(slots("d1", 1));
        Lease a = granted(harness().enqueue("a", 0));
        harness().enqueue("b", 0);
        harness().release(a.id());
        harness().enqueue("c", 0);

        Outcome again = harness().release(a.id());

        assertThat(again.duplicate()).isTrue();
        assertThat(again.grants()).isEmpty();
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("c");
    }

    @Test
    default void aDuplicateReleaseOfANotDispatchedCallRefundsOnce() {
        harness().start(slots("d1", 5).withRpm(10));
        Lease a = granted(harness().enqueue("a", 0));
        granted(harness().enqueue("b", 0));

        harness().release(a.id(), Usage.notDispatched());
        harness().release(a.id(), Usage.notDispatched());

        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
    }

    @Test
    default void aDuplicateCancelReturnsTheFirstEffect() {
        harness().start(slots("d1", 1));
        granted(harness().enqueue("holder", 0));
        harness().enqueue("t", 0);
        Outcome first = harness().cancel("t");

        Outcome again = harness().cancel("t");

        assertThat(again.duplicate()).isTrue();
        assertThat(again.result()).isEqualTo(first.result());
    }

    @Test
    default void aDuplicateFailureCountsOnce() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withCooldown(1, 5_000));
        Lease a = granted(harness().enqueue("a", 0));

        harness().release(a.id(), Usage.failed());
        harness().release(a.id(), Usage.failed());

        assertThat(harness().snapshot().load("d1").failures()).isEqualTo(1);
        assertThat(harness().enqueue("b", 0).result()).isInstanceOf(Result.Granted.class);
    }

    @Test
    default void aRememberedOperationIsForgottenAfterTheLeaseBound() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)).withLeaseBound(15_000));
        Lease a = granted(harness().enqueue("a", 0));
        harness().release(a.id());
        harness().clock().advance(15_000);
        harness().tick();

        Outcome late = harness().release(a.id());

        assertThat(late.duplicate()).isFalse();
        assertThat(late.result()).isEqualTo(new Result.Released(false));
    }

    @Test
    default void aDuplicateRequeueDoesNotQueueTwice() {
        harness().start(slots("d1", 1));
        Lease a = granted(harness().enqueue("a", 0));
        harness().enqueue("b", 0);
        harness().release(a.id(), Usage.failed());
        Command requeue = new Command.Requeue("a#1", "a", 0, a.arrival(), "n0",
                harness().clock().millis() + ContractHarness.WAIT, 0, Set.of());
        Outcome first = harness().run("n0", requeue);

        Outcome again = harness().run("n0", requeue);

        assertThat(again.result()).isEqualTo(first.result());
        assertThat(harness().snapshot().waiting()).extracting(t -> t.id()).containsExactly("a");
    }

    @Test
    default void aMalformedCommandIsRefusedBeforeItChangesAnything() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("holder", 0));
        harness().enqueue("waiting", 1);
        // Time has moved (nothing falls due), so a command that got as far as its housekeeping would move the
        // store's clock, which the snapshot shows.
        harness().clock().advance(1_000);
        GroupSnapshot before = harness().snapshot();
        List<Command> malformed = List.of(
                new Command.Enqueue("negative", 0, "n0", harness().clock().millis() + ContractHarness.WAIT, -1),
                new Command.Requeue("negative#1", "negative", 0, 1, "n0",
                        harness().clock().millis() + ContractHarness.WAIT, -5, java.util.Set.of()));

        for (Command command : malformed) {
            assertThatThrownBy(() -> harness().run("n0", command)).as("%s", command)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
        }

        assertThat(harness().snapshot()).isEqualTo(before);
        assertThat(harness().run("n0", new Command.Release(held.id(), Usage.succeeded(0))).grants())
                .extracting(Lease::ticketId).containsExactly("waiting");
    }

    @Test
    default void anEnqueueIsRememberedWhileItsLeaseIsHeldPastTheLeaseBoundAndABoundAfterItEnds() {
        GroupSpec group = ContractHarness.group(slots("d1", 1)).withLeaseBound(15_000);
        harness().start(group);
        long bound = group.leaseBoundMillis();
        Command enqueue = new Command.Enqueue("long", 0, "n0", harness().clock().millis() + 10 * bound, 0);
        Outcome first = harness().run("n0", enqueue);
        Lease lease = granted(first);
        // A ten-minute stream: its node renews, its lease outlives the bound twice over.
        for (int i = 0; i < 4; i++) {
            harness().clock().advance(bound / 2 + 1);
            harness().run("n0", new Command.RenewNode("n0"));
        }
        harness().run("n0", new Command.Release(lease.id(), Usage.succeeded(0)));
        harness().clock().advance(bound / 2);
        harness().run("n0", new Command.RenewNode("n0"));

        Outcome late = harness().run("n1", enqueue);

        assertThat(late.duplicate()).as("a duplicate half a bound after the lease ended").isTrue();
        assertThat(late.result()).isEqualTo(first.result());
        assertThat(harness().snapshot().waiting()).isEmpty();
        assertThat(harness().snapshot().leases()).isEmpty();
    }
}
