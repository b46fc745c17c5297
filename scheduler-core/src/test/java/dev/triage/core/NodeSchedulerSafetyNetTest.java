package dev.triage.core;

import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.FaultInjectingBackend;
import dev.triage.core.tck.ForwardingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's safety net costs nothing while nothing waits, and a bounded amount however deep the queue. */
class NodeSchedulerSafetyNetTest {

    private static final String GROUP = "g";
    private static final int SLOTS = 8;

    private final InMemoryBackend store = new InMemoryBackend(
            List.of(GroupSpec.of(GROUP, Deployment.unlimited("d1").withMaxParallelRequests(SLOTS))),
            StoreClock.system());
    private final AtomicInteger reconciles = new AtomicInteger();
    private final AtomicInteger mostTicketsAskedAbout = new AtomicInteger();

    @AfterEach
    void close() {
        store.close();
    }

    /** The store, counting the reconciles that reach it and the most tickets one asked about. */
    private SchedulerBackend watched() {
        return new ForwardingBackend(store) {
            @Override
            public CompletionStage<Outcome> execute(String group, Command command) {
                if (command instanceof Command.Reconcile r) {
                    reconciles.incrementAndGet();
                    mostTicketsAskedAbout.accumulateAndGet(r.waiting().size(), Math::max);
                }
                return inner.execute(group, command);
            }
        };
    }

    @Test
    void aNodeHoldingLeasesButNoWaitersSendsNoReconcile() throws Exception {
        try (NodeScheduler node = new NodeScheduler(watched(), "n0", 10, 1_000, null)) {
            node.acquire(GROUP, 0, 0, System.currentTimeMillis() + 60_000).get(10, TimeUnit.SECONDS);

            Thread.sleep(300); // thirty polling intervals

            assertThat(reconciles.get()).isZero();
        }
    }

    @Test
    void everyWaiterOfADeepQueueIsAdmittedThoughEveryGrantNoticeIsLostAndNoReconcileListsTheWholeQueue()
            throws Exception {
        int requests = NodeScheduler.FULL_RECONCILE_TICKETS + 200;
        FaultInjectingBackend lossy = FaultInjectingBackend.losingGrantNotices(watched());
        BlockingQueue<Admission> admitted = new LinkedBlockingQueue<>();
        try (NodeScheduler node = new NodeScheduler(lossy, "n0", 10, 1_000, null)) {
            for (int i = 0; i < requests; i++) {
                node.acquire(GROUP, i % 7, 0, System.currentTimeMillis() + 120_000).thenAccept(admitted::add);
            }
            for (int i = 0; i < requests; i++) {
                Admission admission = admitted.poll(30, TimeUnit.SECONDS);
                assertThat(admission).as("admission %d of %d", i + 1, requests).isNotNull();
                node.release(admission, Usage.succeeded(0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }

        assertThat(lossy.grantsLost()).isGreaterThan(requests / 2);
        assertThat(mostTicketsAskedAbout.get()).isEqualTo(NodeScheduler.FULL_RECONCILE_TICKETS);
    }
}
