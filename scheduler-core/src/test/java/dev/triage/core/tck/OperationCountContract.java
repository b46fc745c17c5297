package dev.triage.core.tck;

import dev.triage.core.Admission;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.NodeScheduler;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Result;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 3, by counting: admitting a request costs the store one enqueue and one release, however many wait
 * (LiteLLM's waiters each poll the store, so its cost grows with waiters times time), plus at most one pushed
 * notice batch for a request not granted in its own enqueue. Reconciles, heartbeats and the store's own ticks
 * are the safety net, paid per node and interval rather than per request: counted and printed apart.
 */
public interface OperationCountContract extends SchedulerContract {

    @Test
    default void tenWaitersCostOneEnqueueAndOneReleaseEach() throws Exception {
        admitThroughOneNode(10);
    }

    @Test
    default void aThousandWaitersCostOneEnqueueAndOneReleaseEach() throws Exception {
        admitThroughOneNode(1_000);
    }

    @Test
    default void tenThousandWaitersCostOneEnqueueAndOneReleaseEach() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(harness().spec().workScale() >= 1
                        || Boolean.getBoolean("triage.fullWork"),
                "a cluster backend shows the same count at a thousand waiters; ten thousand is its benchmark's job");
        admitThroughOneNode(10_000);
    }

    /**
     * The grants the store made to tickets that had waited, in commit order (the order the node's futures complete
     * in is not it: a reconcile on the node's timer thread may complete one a moment after a later one).
     */
    private static List<Lease> grantsToWaiters(History history) {
        List<HistoryEntry> entries = new ArrayList<>(history.entries());
        entries.removeIf(e -> e.failure() != null || e.duplicate());
        entries.sort(Comparator.comparingLong(HistoryEntry::commit));
        List<Lease> grants = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if (!(e.command() instanceof Command.Enqueue)) grants.addAll(e.outcome().grants());
        }
        return grants;
    }

    /** Replays the history in commit order: every grant to a waiting ticket took the first one waiting. */
    private static void assertEachGrantTookTheHeadOfTheQueue(History history) {
        List<HistoryEntry> entries = new ArrayList<>(history.entries());
        entries.removeIf(e -> e.failure() != null || e.duplicate());
        entries.sort(Comparator.comparingLong(HistoryEntry::commit));
        java.util.TreeSet<long[]> waiting = new java.util.TreeSet<>(
                Comparator.<long[]>comparingLong(t -> t[0]).thenComparingLong(t -> t[1]));
        for (HistoryEntry e : entries) {
            String own = null;
            if (e.command() instanceof Command.Enqueue enqueue) {
                own = enqueue.ticketId();
                if (e.outcome().result() instanceof Result.Queued queued) {
                    waiting.add(new long[] {enqueue.priority(), queued.arrival()});
                }
            }
            for (Lease lease : e.outcome().grants()) {
                if (lease.ticketId().equals(own)) continue;
                assertThat(waiting.pollFirst()).as("the head of the queue at commit %d", e.commit())
                        .containsExactly(lease.priority(), lease.arrival());
            }
        }
    }

    /** Queues all requests at once behind four slots, then releases each admission as it arrives. */
    private void admitThroughOneNode(int requests) throws Exception {
        GroupSpec group = ContractHarness.group(slots("d1", 4));
        harness().start(group);
        History history = new History();
        CountingBackend counted = new CountingBackend(history.recording(harness().member(0)));
        BlockingQueue<Admission> admitted = new LinkedBlockingQueue<>();
        List<Throwable> refused = new ArrayList<>();
        Random random = new Random(requests);
        try (NodeScheduler node = new NodeScheduler(counted, "n0", 30, 5_000, null)) {
            long deadline = harness().clock().millis() + ContractHarness.WAIT;
            for (int i = 0; i < requests; i++) {
                node.acquire(ContractHarness.GROUP, random.nextInt(1_000), 0, deadline).whenComplete((a, error) -> {
                    if (error != null) refused.add(error);
                    if (a != null) admitted.add(a);
                });
            }
            // Generous bounds that only catch a hang: on a cluster the first release waits behind every enqueue.
            for (int i = 0; i < requests; i++) {
                Admission admission = admitted.poll(60, TimeUnit.SECONDS);
                assertThat(admission).as("admission %d of %d (refused: %s)", i + 1, requests, refused).isNotNull();
                node.release(admission, Usage.succeeded(0)).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            long commits = harness().snapshot().commit();
            long enqueues = counted.executed(Command.Enqueue.class);
            long releases = counted.executed(Command.Release.class);
            long echoes = counted.duplicates(Command.Release.class);
            long atOnce = counted.grantedAtOnce(Command.Enqueue.class);
            System.out.printf("%s, %,d requests: %,d enqueues (%,d granted at once), %,d releases (%,d of them"
                            + " duplicates), %,d notice batches; apart: %,d reconciles, %,d heartbeats,"
                            + " %,d ticks the store ran itself%n", harness().spec().name(), requests, enqueues,
                    atOnce, releases, echoes, counted.noticeBatches(), counted.executed(Command.Reconcile.class),
                    counted.executed(Command.RenewNode.class), commits - counted.committed());

            assertThat(refused).isEmpty();
            assertThat(enqueues).as("enqueues per request").isEqualTo(requests);
            // A reconcile answered just before a release may report the grant again; the node then returns the
            // lease a second time, which the store recognises as a duplicate and ignores.
            assertThat(releases - echoes).as("releases per request that changed the store").isEqualTo(requests);
            assertThat(counted.noticeBatches()).as("notice batches, at most one per request granted later")
                    .isLessThanOrEqualTo(requests - atOnce);
            assertThat(grantsToWaiters(history)).as("grants to those that waited").hasSize(requests - (int) atOnce);
            // A release may reach the store before enqueues sent earlier (a backend that batches sends releases
            // first), so the order is judged against what was waiting at each grant.
            assertEachGrantTookTheHeadOfTheQueue(history);
        }
    }
}
