package dev.triage.core.tck;

import dev.triage.core.Deployment;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract 1 and 2: (priority, arrival) order, and the store grants the first tickets that fit. */
public interface OrderContract extends SchedulerContract {

    /** Releases the held lease and returns the ticket ids granted, one release at a time. */
    private List<String> drain(Lease held, int count) {
        List<String> order = new ArrayList<>();
        Lease current = held;
        for (int i = 0; i < count; i++) {
            Outcome released = harness().release(current.id());
            assertThat(released.grants()).hasSize(1);
            current = released.grants().get(0);
            order.add(current.ticketId());
        }
        return order;
    }

    @Test
    default void aFreeSlotGoesToTheLowestPriorityNumber() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("holder", 0));
        harness().enqueue("n0", "p5", 5);
        harness().enqueue("n1", "p1", 1);
        harness().enqueue("n2", "p3", 3);

        assertThat(drain(held, 3)).containsExactly("p1", "p3", "p5");
    }

    @Test
    default void equalPrioritiesAreServedFirstInFirstOut() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("holder", 0));
        for (int i = 0; i < 6; i++) harness().enqueue("n" + (i % 3), "t" + i, 7);

        assertThat(drain(held, 6)).containsExactly("t0", "t1", "t2", "t3", "t4", "t5");
    }

    @Test
    default void negativePrioritiesGoBeforeZero() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("holder", 0));
        harness().enqueue("zero", 0);
        harness().enqueue("minus", -1);

        assertThat(drain(held, 2)).containsExactly("minus", "zero");
    }

    @Test
    default void theWholeSigned64BitRangeIsOrdered() {
        harness().start(slots("d1", 1));
        Lease held = granted(harness().enqueue("holder", 0));
        harness().enqueue("max", Long.MAX_VALUE);
        harness().enqueue("litellm", 1L << 40);
        harness().enqueue("min", Long.MIN_VALUE);
        harness().enqueue("beyondDoublePrecision", (1L << 53) + 1);
        harness().enqueue("justBelow", 1L << 53);

        assertThat(drain(held, 5)).containsExactly("min", "litellm", "justBelow", "beyondDoublePrecision", "max");
    }

    @Test
    default void aTicketWithCapacityFreeIsGrantedInItsOwnEnqueue() {
        harness().start(slots("d1", 2));

        Outcome outcome = harness().enqueue("first", 3);

        assertThat(outcome.result()).isInstanceOf(Result.Granted.class);
        assertThat(granted(outcome).deploymentId()).isEqualTo("d1");
        assertThat(harness().snapshot().load("d1").inFlight()).isEqualTo(1);
        assertThat(harness().snapshot().waiting()).isEmpty();
    }

    @Test
    default void arrivalsIncreaseAcrossNodes() {
        harness().start(slots("d1", 1));
        harness().enqueue("holder", 0);
        long a = ((Result.Queued) harness().enqueue("n0", "a", 1).result()).arrival();
        long b = ((Result.Queued) harness().enqueue("n1", "b", 1).result()).arrival();
        long c = ((Result.Queued) harness().enqueue("n2", "c", 1).result()).arrival();

        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
    }

    @Test
    default void aLaterTicketNeverJumpsAWaitingOneThatDoesNotFit() {
        // The head needs 800 tokens of a 1,000 tpm window of which 300 are taken; a small ticket behind it waits.
        harness().start(Deployment.unlimited("d1").withTpm(1_000));
        long deadline = harness().clock().millis() + ContractHarness.WAIT;
        Lease first = granted(harness().enqueue("n0", "first", 0, deadline, 300));
        assertThat(harness().enqueue("n0", "big", 1, deadline, 800).result()).isInstanceOf(Result.Queued.class);

        Outcome small = harness().enqueue("n1", "small", 2, deadline, 10);

        assertThat(small.result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().release(first.id(), Usage.succeeded(300)).grants()).isEmpty();
        harness().clock().advance(60_000);
        assertThat(grantedTickets(harness().tick())).containsExactly("big", "small");
    }

    @Test
    default void whenKSlotsFreeAtOnceExactlyTheFirstKAreGranted() {
        harness().start(Deployment.unlimited("d1").withRpm(3));
        for (int i = 0; i < 3; i++) granted(harness().enqueue("early" + i, 0));
        for (int i = 0; i < 10; i++) harness().enqueue("n" + (i % 3), "w" + i, 10 - i);

        harness().clock().advance(60_000);

        assertThat(grantedTickets(harness().tick())).containsExactly("w9", "w8", "w7");
        assertThat(harness().snapshot().waiting()).hasSize(7);
    }

    @Test
    default void grantsAcrossAGroupNeverOvertakeWithinTheOrder() {
        harness().start(slots("d1", 2), slots("d2", 1));
        List<Lease> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) held.add(granted(harness().enqueue("h" + i, 0)));
        for (int i = 0; i < 9; i++) harness().enqueue("n" + (i % 3), "t" + i, i % 3);

        List<String> order = new ArrayList<>();
        List<Lease> queue = new ArrayList<>(held);
        while (!queue.isEmpty()) {
            Outcome released = harness().release(queue.remove(0).id());
            for (Lease lease : released.grants()) {
                order.add(lease.ticketId());
                queue.add(lease);
            }
        }
        assertThat(order).containsExactly("t0", "t3", "t6", "t1", "t4", "t7", "t2", "t5", "t8");
    }
}
