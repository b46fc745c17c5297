package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.tck.FakeClock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one time a group's whole state crosses the network is a migration (or a replica sync): it must arrive
 * intact, in the wire format, with what makes duplicates harmless, and the group must keep scheduling from it.
 */
class StateMigrationTest {

    private static final int TICKETS = 5_000;
    private static final int SLOTS = 8;

    @Test
    void aGroupWithThousandsOfTicketsSurvivesAMigrationAndKeepsGrantingInOrder() {
        FakeClock clock = new FakeClock();
        GroupSpec spec = GroupSpec.of("migrating", Deployment.unlimited("d1").withMaxParallelRequests(SLOTS))
                .withMaxQueueSize(2 * TICKETS);
        String namespace = "." + UUID.randomUUID();
        try (LoopbackMembers members = new LoopbackMembers(2, clock)) {
            HazelcastInstance first = members.start(0);
            HazelcastBackend onFirst = new HazelcastBackend(first, List.of(spec), namespace);
            long deadline = clock.millis() + TimeUnit.HOURS.toMillis(1);
            Random random = new Random(5);
            for (int i = 0; i < TICKETS; i++) {
                run(onFirst, new Command.Enqueue("t" + i, random.nextInt(10), "n" + i % 3, deadline, 10));
            }
            Outcome released = run(onFirst, new Command.Release("t0@1", Usage.succeeded(7)));
            assertThat(released.grants()).hasSize(1);
            assertThat(run(onFirst, new Command.Cancel("t100")).result())
                    .isEqualTo(new Result.Cancelled(Result.CancelEffect.WAS_WAITING));
            GroupSnapshot before = snapshot(onFirst);
            assertThat(before.waiting()).hasSize(TICKETS - SLOTS - 2);
            assertThat(before.leases()).hasSize(SLOTS);

            // Closed now, so that no tick it scheduled (a node's silence is due a lease bound on) runs meanwhile.
            onFirst.close();
            HazelcastInstance second = members.start(1);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> second.getPartitionService().isClusterSafe());
            first.shutdown(); // graceful: the first member hands its partitions over to the second
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> second.getCluster().getMembers().size() == 1);
            HazelcastBackend onSecond = new HazelcastBackend(second, List.of(spec), namespace);
            try {
                assertThat(snapshot(onSecond)).isEqualTo(before);
                remembersWhatMakesDuplicatesHarmless(onSecond, before, released, deadline);
                keepsGrantingInQueueOrder(onSecond, before, deadline);
            } finally {
                onSecond.close();
            }
        }
    }

    private static void remembersWhatMakesDuplicatesHarmless(SchedulerBackend backend, GroupSnapshot before,
                                                             Outcome released, long deadline) {
        Outcome again = run(backend, new Command.Release("t0@1", Usage.succeeded(7)));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstRun()).as("the first run, among the recent outcomes").isEqualTo(released);

        Lease leaseOfT5 = before.leases().stream().filter(l -> l.ticketId().equals("t5")).findFirst().orElseThrow();
        Outcome enqueuedAgain = run(backend, new Command.Enqueue("t5", 0, "n2", deadline, 10));
        assertThat(enqueuedAgain.duplicate()).isTrue();
        assertThat(enqueuedAgain.result()).isEqualTo(new Result.Granted(leaseOfT5));

        assertThat(run(backend, new Command.Requeue("retry-t100", "t100", 0, 101, "n1", deadline, 10, Set.of()))
                .result()).as("a cancelled ticket stays ended").isEqualTo(new Result.Refused(Result.Refusal.ALREADY_ENDED));

        for (String node : List.of("n0", "n1", "n2")) {
            int waiting = (int) before.waiting().stream().filter(t -> t.nodeId().equals(node)).count();
            int leases = (int) before.leases().stream().filter(l -> l.nodeId().equals(node)).count();
            Result digest = run(backend, Command.Reconcile.digest(node, before.epoch(), waiting, leases)).result();
            assertThat(digest).as("digest of %s", node).isEqualTo(new Result.Reconciled(List.of(), 0, 0, true));
        }
    }

    private static void keepsGrantingInQueueOrder(SchedulerBackend backend, GroupSnapshot before, long deadline) {
        long nextArrival = TICKETS + 1;
        assertThat(run(backend, new Command.Enqueue("late", -1, "n0", deadline, 10)).result())
                .isEqualTo(new Result.Queued(nextArrival));
        List<String> expected = new ArrayList<>(List.of("late"));
        before.waiting().stream().map(Ticket::id).limit(99).forEach(expected::add);

        List<Lease> held = new ArrayList<>(before.leases());
        List<String> granted = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Lease done = held.remove(0);
            List<Lease> grants = run(backend, new Command.Release(done.id(), Usage.succeeded(3))).grants();
            assertThat(grants).hasSize(1);
            granted.add(grants.get(0).ticketId());
            held.addAll(grants);
        }
        assertThat(granted).containsExactlyElementsOf(expected);
        GroupSnapshot after = snapshot(backend);
        assertThat(after.waiting()).hasSize(before.waiting().size() - 99);
        assertThat(after.leases()).hasSize(SLOTS);
        assertThat(after.epoch()).isEqualTo(before.epoch());
    }

    private static Outcome run(SchedulerBackend backend, Command command) {
        return backend.execute("migrating", command).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static GroupSnapshot snapshot(SchedulerBackend backend) {
        return backend.snapshot("migrating").toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
