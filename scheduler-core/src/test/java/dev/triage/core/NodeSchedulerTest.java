package dev.triage.core;

import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.ForwardingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The node side when the store fails it: no slot may stay taken by a release that did not arrive. */
class NodeSchedulerTest {

    private static final String GROUP = "g";

    private final InMemoryBackend store = new InMemoryBackend(
            List.of(GroupSpec.of(GROUP, Deployment.unlimited("d1").withMaxParallelRequests(1),
                    Deployment.unlimited("d2").withMaxParallelRequests(1).withOrder(2))),
            StoreClock.system());
    private final AtomicInteger releasesToLose = new AtomicInteger();
    private final NodeScheduler node = new NodeScheduler(new LosingReleases(), "n0", 30, 50, null);

    @AfterEach
    void close() {
        node.close();
        store.close();
    }

    private Admission admitted() throws Exception {
        return node.acquire(GROUP, 0, 0, System.currentTimeMillis() + 60_000).get(10, TimeUnit.SECONDS);
    }

    private int inFlight() {
        return store.snapshot(GROUP).toCompletableFuture().join().inFlight();
    }

    @Test
    void warmingUpLeavesNothingHeldEvenWhereTheNodeThinksTheStoresClockAheadOfWhatItIs() throws Exception {
        // A node that estimates the store's clock (Redis mode) may put "now - 1" after the store's now.
        SchedulerBackend ahead = new ForwardingBackend(store) {
            @Override
            public long now() {
                return super.now() + 5_000;
            }
        };
        try (NodeScheduler warming = new NodeScheduler(ahead, "n1", 30, 50, null)) {
            warming.warmUp().get(10, TimeUnit.SECONDS);

            // Before the node leaves, which would end whatever it still held.
            assertThat(store.snapshot(GROUP).toCompletableFuture().join().leases()).as("leases left by a warm-up")
                    .isEmpty();
            assertThat(store.snapshot(GROUP).toCompletableFuture().join().waiting()).isEmpty();
        }
    }

    @Test
    void aReleaseTheStoreDidNotTakeIsSentAgainWithTheHeartbeat() throws Exception {
        Admission admission = admitted();
        releasesToLose.set(1);

        CompletionStage<Void> release = node.release(admission, Usage.succeeded(5));

        assertThatThrownBy(() -> release.toCompletableFuture().join()).isInstanceOf(CompletionException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
    }

    @Test
    void aRetryWhoseReleaseFailsFailsClearlyAndItsSlotStillComesBack() throws Exception {
        Admission admission = admitted();
        releasesToLose.set(1);

        CompletableFuture<Admission> retried = node.retry(admission, Usage.failed());

        assertThatThrownBy(() -> retried.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TicketRefusedException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        assertThat(store.snapshot(GROUP).toCompletableFuture().join().waiting()).isEmpty();
    }

    @Test
    void aRetryDuringShutdownStillReleasesTheFailedLease() throws Exception {
        Admission admission = admitted();
        node.stopAccepting();

        CompletableFuture<Admission> retried = node.retry(admission, Usage.failed());

        assertThatThrownBy(() -> retried.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TicketRefusedException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
    }

    /** The in-memory store behind a link that loses the next few releases (the command never arrives). */
    private final class LosingReleases extends ForwardingBackend {
        LosingReleases() {
            super(store);
        }

        @Override
        public CompletionStage<Outcome> execute(String group, Command command) {
            if (command instanceof Command.Release && releasesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("store unreachable"));
            }
            return inner.execute(group, command);
        }
    }
}
