package dev.triage.core.tck;

import dev.triage.core.Admission;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.NodeScheduler;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.grantedTickets;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Contracts 3, 6 and 8 under faults: every command delivered twice, grant notices lost on their way to the node,
 * and a store clock that jumps backwards.
 */
public interface FaultContract extends SchedulerContract {

    private void assumeInjectedClock() {
        assumeTrue(harness().spec().has(BackendSpec.Capability.INJECTED_CLOCK), "needs a clock the test can move");
    }

    @Test
    default void randomHistoriesWithEveryCommandDeliveredTwiceStillKeepEveryRule() {
        assumeInjectedClock();
        HistorySummary summary = HistoryWorkload.runSeeds(harness(), "delivered-twice", 6,
                new HistoryWorkload.Options(8, 150, 10, false, FaultInjectingBackend::deliveringTwice));

        // The model holds each second delivery of an enqueue, requeue, release or cancel to be a duplicate.
        assertThat(summary.count("duplicates")).isGreaterThan(summary.count("commands") / 3);
    }

    @Test
    default void aCommandDeliveredTwiceLeavesTheStateItLeavesWhenDeliveredOnce() {
        harness().start(GroupSpec.of("once", slots("d1", 1).withRpm(3)),
                GroupSpec.of("twice", slots("d1", 1).withRpm(3)));
        History history = new History();
        SchedulerBackend twice = FaultInjectingBackend.deliveringTwice(history.recording(harness().member(0)));
        long deadline = harness().clock().millis() + ContractHarness.WAIT;
        for (String group : List.of("once", "twice")) {
            SchedulerBackend via = group.equals("once") ? harness().member(0) : twice;
            Lease a = granted(ContractHarness.run(via, group, new Command.Enqueue("a", 0, "n0", deadline, 10)));
            ContractHarness.run(via, group, new Command.Enqueue("b", 1, "n0", deadline, 10));
            ContractHarness.run(via, group, new Command.Enqueue("c", 2, "n0", deadline, 10));
            ContractHarness.run(via, group, new Command.Release(a.id(), Usage.failed()));
            Lease b = harness().snapshot(group).leases().get(0);
            ContractHarness.run(via, group, new Command.Requeue("a#1", "a", 0, a.arrival(), "n0", deadline, 10,
                    Set.of("d1")));
            ContractHarness.run(via, group, new Command.Cancel("c"));
            ContractHarness.run(via, group, new Command.Release(b.id(), Usage.notDispatched()));
        }

        GroupSnapshot once = harness().snapshot("once");
        GroupSnapshot twiceSnapshot = harness().snapshot("twice");
        assertThat(twiceSnapshot.commit()).isEqualTo(once.commit());
        assertThat(twiceSnapshot.waiting()).isEqualTo(once.waiting());
        assertThat(twiceSnapshot.leases()).extracting(Lease::ticketId, Lease::deploymentId, Lease::window)
                .containsExactlyElementsOf(once.leases().stream()
                        .map(l -> tuple(l.ticketId(), l.deploymentId(), l.window())).toList());
        assertThat(twiceSnapshot.loads()).isEqualTo(once.loads());
        List<HistoryEntry> entries = history.entries();
        for (int i = 0; i < entries.size(); i += 2) {
            assertThat(entries.get(i + 1).duplicate()).as("second delivery of %s", entries.get(i).command()).isTrue();
            assertThat(entries.get(i + 1).outcome().result()).isEqualTo(entries.get(i).outcome().result());
        }
    }

    @Test
    default void waitersWhoseGrantNoticesAreAllLostAreAdmittedByTheirNodesReconcile() throws Exception {
        admitWhileLosingGrantNotices(via -> FaultInjectingBackend.losingGrantNotices(via));
    }

    @Test
    default void waitersAreAdmittedWhenHalfTheGrantNoticesAreLost() throws Exception {
        Random seeds = new Random(7);
        admitWhileLosingGrantNotices(via -> FaultInjectingBackend.losingGrantNotices(via, 0.5, seeds.nextLong()));
    }

    /**
     * Three nodes queue six requests each behind two slots; each admission is released in turn, and the next
     * waiter must be admitted within ten polling intervals although its grant notice may never arrive.
     */
    private void admitWhileLosingGrantNotices(UnaryOperator<SchedulerBackend> lossy) throws Exception {
        long pollingMillis = 30;
        harness().start(slots("d1", 2));
        List<FaultInjectingBackend> backends = new ArrayList<>();
        List<NodeScheduler> nodes = new ArrayList<>();
        List<CompletableFuture<Admission>> waiters = new ArrayList<>();
        Random random = new Random(11);
        try {
            for (int n = 0; n < 3; n++) {
                FaultInjectingBackend backend = (FaultInjectingBackend) lossy.apply(harness().memberOf("n" + n));
                backends.add(backend);
                nodes.add(new NodeScheduler(backend, "n" + n, pollingMillis, 1_000, null));
            }
            long deadline = harness().clock().millis() + ContractHarness.WAIT;
            for (int i = 0; i < 18; i++) {
                waiters.add(nodes.get(i % 3).acquire(ContractHarness.GROUP, random.nextInt(5), 0, deadline));
            }
            List<CompletableFuture<Admission>> released = new ArrayList<>();
            long slowestNanos = 0;
            while (released.size() < waiters.size()) {
                long freed = System.nanoTime();
                await("the next waiter admitted within ten polling intervals")
                        .atMost(Duration.ofMillis(pollingMillis * 10)).pollInterval(Duration.ofMillis(2))
                        .until(() -> waiters.stream().anyMatch(w -> w.isDone() && !released.contains(w)));
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - freed);
                CompletableFuture<Admission> next =
                        waiters.stream().filter(w -> w.isDone() && !released.contains(w)).findFirst().orElseThrow();
                Admission admission = next.get();
                released.add(next);
                NodeScheduler holder = nodes.get(Integer.parseInt(admission.ticket().nodeId().substring(1)));
                holder.release(admission, Usage.succeeded(0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            long lostSoFar = backends.stream().mapToLong(FaultInjectingBackend::grantsLost).sum();
            System.out.printf("%s, grant notices lost: %d; slowest admission after a release: %.1f ms"
                            + " (polling interval %d ms)%n", harness().spec().name(), lostSoFar,
                    slowestNanos / 1e6, pollingMillis);
        } finally {
            nodes.forEach(NodeScheduler::close);
        }
        long lost = backends.stream().mapToLong(FaultInjectingBackend::grantsLost).sum();
        assertThat(lost).as("grant notices lost on the way, so reconciles had to find them").isGreaterThan(0);
    }

    @Test
    default void aClockJumpingBackwardsNeverReopensAWindowItsGrantsUsedUp() {
        assumeInjectedClock();
        harness().start(Deployment.unlimited("d1").withRpm(2));
        granted(harness().enqueue("a", 0));
        granted(harness().enqueue("b", 0));
        harness().enqueue("c", 0);
        long window = harness().snapshot().window();

        harness().clock().advance(-60_000);
        Outcome backAMinute = harness().tick();
        harness().clock().advance(-3_600_000);
        Outcome backAnHour = harness().enqueue("n0", "d", 0, FakeClock.START + ContractHarness.WAIT, 0);

        assertThat(grantedTickets(backAMinute)).isEmpty();
        assertThat(backAnHour.result()).isInstanceOf(Result.Queued.class);
        assertThat(harness().snapshot().window()).isEqualTo(window);
        assertThat(harness().snapshot().load("d1").rpmUsed()).isEqualTo(2);
        harness().clock().set(FakeClock.START + 60_000);
        Outcome nextWindow = harness().tick();
        assertThat(grantedTickets(nextWindow)).containsExactly("c", "d");
        assertThat(nextWindow.grants()).allMatch(lease -> lease.window() == window + 1);
    }

    @Test
    default void randomHistoriesWithAClockOftenJumpingBackwardsStayWithinEveryLimit() {
        assumeInjectedClock();
        // The invariants reject any window or store time that moves back, and any grant over rpm or parallel.
        HistorySummary summary = HistoryWorkload.runSeeds(harness(), "clock-jumps-back", 3,
                new HistoryWorkload.Options(2, 1_500, 30, true, UnaryOperator.identity()));

        assertThat(summary.count("grants")).isGreaterThan(0);
    }
}
