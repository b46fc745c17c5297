package dev.triage.core.tck;

import dev.triage.core.Admission;
import dev.triage.core.GroupSpec;
import dev.triage.core.NodeScheduler;
import dev.triage.core.TicketRefusedException;
import dev.triage.core.Usage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node side: a waiter's future completes on a pushed grant, and every lease is released exactly once. */
public interface WaiterContract extends SchedulerContract {

    Duration EVENTUALLY = Duration.ofSeconds(10);

    private NodeScheduler node(int index) {
        return new NodeScheduler(harness().member(index), "n" + index, 30, 5_000, null);
    }

    private long deadline() {
        return harness().clock().millis() + ContractHarness.WAIT;
    }

    private static Admission join(CompletableFuture<Admission> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TicketRefusedException.Reason refusal(CompletableFuture<Admission> future) {
        await().atMost(EVENTUALLY).until(future::isDone);
        try {
            future.join();
            throw new AssertionError("expected a refusal, got " + future.join());
        } catch (java.util.concurrent.CompletionException e) {
            return ((TicketRefusedException) e.getCause()).reason();
        }
    }

    @Test
    default void aWaiterIsAdmittedWhenAnotherNodeReleasesTheSlot() {
        harness().start(slots("d1", 1));
        try (NodeScheduler n0 = node(0); NodeScheduler n1 = node(1)) {
            Admission first = join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            CompletableFuture<Admission> second = n1.acquire(ContractHarness.GROUP, 0, 0, deadline());
            await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().size() == 1);
            assertThat(second).isNotDone();

            n0.release(first, Usage.succeeded(0));

            assertThat(join(second).lease().nodeId()).isEqualTo("n1");
        }
    }

    @Test
    default void cancellingAWaitersFutureCancelsItsTicket() {
        harness().start(slots("d1", 1));
        try (NodeScheduler n0 = node(0)) {
            Admission first = join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            CompletableFuture<Admission> gone = n0.acquire(ContractHarness.GROUP, 0, 0, deadline());
            await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().size() == 1);

            gone.cancel(true);

            await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().isEmpty());
            n0.release(first, Usage.succeeded(0));
            await().atMost(EVENTUALLY).until(() -> harness().snapshot().inFlight() == 0);
            assertThat(n0.waiting()).isZero();
            assertThat(n0.held()).isZero();
        }
    }

    @Test
    default void aWaiterPastItsDeadlineFailsWithQueueTimeout() {
        harness().start(slots("d1", 1));
        try (NodeScheduler n0 = node(0)) {
            join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            CompletableFuture<Admission> late =
                    n0.acquire(ContractHarness.GROUP, 0, 0, harness().clock().millis() + 1_000);
            await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().size() == 1);

            harness().clock().advance(1_000);
            harness().tick();

            assertThat(refusal(late)).isEqualTo(TicketRefusedException.Reason.QUEUE_TIMEOUT);
        }
    }

    @Test
    default void aShedWaiterFailsWithQueueFull() {
        harness().start(ContractHarness.group(slots("d1", 1)).withMaxQueueSize(1));
        try (NodeScheduler n0 = node(0); NodeScheduler n1 = node(1)) {
            join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            CompletableFuture<Admission> low = n1.acquire(ContractHarness.GROUP, 9, 0, deadline());
            await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().size() == 1);

            CompletableFuture<Admission> high = n0.acquire(ContractHarness.GROUP, 1, 0, deadline());

            assertThat(refusal(low)).isEqualTo(TicketRefusedException.Reason.QUEUE_FULL);
            assertThat(high).isNotDone();
        }
    }

    @Test
    default void releasingTwiceFreesTheSlotOnce() {
        harness().start(slots("d1", 2).withRpm(10));
        try (NodeScheduler n0 = node(0)) {
            Admission a = join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));

            n0.release(a, Usage.notDispatched());
            n0.release(a, Usage.notDispatched());

            await().atMost(EVENTUALLY).until(() -> harness().snapshot().inFlight() == 1);
            assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(1);
        }
    }

    @Test
    default void aRetryGoesElsewhereAndKeepsItsArrival() {
        harness().start(slots("d1", 1), slots("d2", 1).withOrder(2));
        try (NodeScheduler n0 = node(0)) {
            Admission first = join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
            assertThat(first.lease().deploymentId()).isEqualTo("d1");

            Admission retried = join(n0.retry(first, Usage.failed()));

            assertThat(retried.lease().deploymentId()).isEqualTo("d2");
            assertThat(retried.ticket().arrival()).isEqualTo(first.ticket().arrival());
            assertThat(retried.ticket().id()).isEqualTo(first.ticket().id());
        }
    }

    @Test
    default void closingANodeFailsItsWaitersAndFreesItsSlots() {
        harness().start(GroupSpec.of(ContractHarness.GROUP, slots("d1", 1)));
        NodeScheduler n0 = node(0);
        join(n0.acquire(ContractHarness.GROUP, 0, 0, deadline()));
        CompletableFuture<Admission> waiting = n0.acquire(ContractHarness.GROUP, 0, 0, deadline());
        await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().size() == 1);

        n0.close();

        assertThat(refusal(waiting)).isEqualTo(TicketRefusedException.Reason.SHUTTING_DOWN);
        await().atMost(EVENTUALLY).until(() -> harness().snapshot().waiting().isEmpty()
                && harness().snapshot().inFlight() == 0);
    }
}
