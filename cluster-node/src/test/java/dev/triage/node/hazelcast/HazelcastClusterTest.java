package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.SchedulerBackend;
import dev.triage.core.spi.StoreCounters;
import dev.triage.core.tck.BackendSpec;
import dev.triage.core.tck.ContractHarness;
import dev.triage.core.tck.ForwardingBackend;
import dev.triage.core.tck.HistorySummary;
import dev.triage.core.tck.HistoryWorkload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.triage.core.tck.ContractHarness.granted;
import static dev.triage.core.tck.ContractHarness.slots;
import static org.assertj.core.api.Assertions.assertThat;

/** What only a real cluster can show: order across members, fleet-wide limits under load, an owner's death. */
class HazelcastClusterTest {

    private static BackendSpec spec(TestCluster cluster, List<HazelcastInstance> through) {
        return new BackendSpec("hazelcast-" + through.size() + "-of-" + cluster.size(),
                (groups, clock) -> cluster.fixture(groups, clock, through), Set.of(BackendSpec.Capability.INJECTED_CLOCK));
    }

    @Test
    void ticketsEnqueuedRoundRobinOnThreeMembersAreGrantedInExactGlobalOrder() {
        try (TestCluster cluster = new TestCluster(3);
             ContractHarness harness = new ContractHarness(spec(cluster, cluster.members()))) {
            harness.start(slots("d1", 1));
            Lease held = granted(harness.enqueue("holder", 0));
            Random random = new Random(11);
            List<Long[]> expected = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                long priority = random.nextInt(7) - 3;
                Outcome queued = harness.enqueue("n" + (i % 3), "t" + i, priority);
                expected.add(new Long[] {priority, ((Result.Queued) queued.result()).arrival(), (long) i});
            }
            expected.sort(Comparator.<Long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));

            List<String> grantOrder = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                Outcome released = harness.run("n" + (i % 3), new Command.Release(held.id(),
                        Usage.succeeded(0)));
                held = released.grants().get(0);
                grantOrder.add(held.ticketId());
            }

            assertThat(grantOrder).containsExactlyElementsOf(expected.stream().map(e -> "t" + e[2]).toList());
        }
    }

    @Test
    void eightThreadsOnEachOfThreeMembersNeverExceedRpmOrParallelInAnyWindow() {
        AtomicInteger enqueues = new AtomicInteger();
        try (TestCluster cluster = new TestCluster(3);
             ContractHarness harness = new ContractHarness(spec(cluster, cluster.members()))) {
            GroupSpec group = HistoryWorkload.group("global-limits", 7);
            harness.start(group);

            HistorySummary summary = HistoryWorkload.run(harness, group, 7, new HistoryWorkload.Options(24, 460, 10,
                    false, backend -> counting(backend, command -> {
                        if (command instanceof Command.Enqueue) enqueues.incrementAndGet();
                    })));

            StoreCounters cost = cost(harness);
            System.out.println("global limits, 3 members x 8 threads: " + enqueues + " tickets, " + summary + ", " + cost);
            // The share of enqueues among the random steps depends on how the threads interleave (about 5,100 of
            // 11,040): this only checks that the load was real.
            assertThat(enqueues.get()).isGreaterThanOrEqualTo(4_000);
            assertThat(cost.roundTrips()).as("store calls for %d commands: they travelled in batches", cost.commands())
                    .isLessThan(cost.commands());
            assertThat(summary.count("grants")).isPositive();
            assertThat(summary.count("queued")).isPositive();
        }
    }

    @Test
    void theDeathOfTheMemberOwningAGroupMidHistoryLosesAndDoublesNoSlot() {
        GroupSpec group = HistoryWorkload.group("owner-loss", 3);
        // Members without node ids: the member that dies then drops no node, so every command is in the history.
        try (TestCluster cluster = new TestCluster(3, false)) {
            HazelcastInstance owner = cluster.ownerOf(group.name());
            List<HazelcastInstance> survivors = cluster.members().stream().filter(m -> m != owner).toList();
            AtomicInteger sent = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            try (ContractHarness harness = new ContractHarness(spec(cluster, survivors))) {
                harness.start(group);

                HistorySummary summary = HistoryWorkload.run(harness, group, 3, new HistoryWorkload.Options(8, 400, 10,
                        false, backend -> counting(backend, command -> {
                            if (sent.incrementAndGet() == 800 && killed.compareAndSet(false, true)) {
                                new Thread(() -> owner.getLifecycleService().terminate(), "kill-owner").start();
                            }
                        })));

                StoreCounters cost = cost(harness);
                System.out.println("owner loss after 800 of " + sent + " commands: " + summary + ", " + cost);
                assertThat(cost.roundTrips()).as("store calls for %d commands: they travelled in batches",
                        cost.commands()).isLessThan(cost.commands());
                assertThat(killed).as("the owner was killed mid-history").isTrue();
                assertThat(sent.get()).isGreaterThan(1_600);
                GroupSnapshot after = harness.snapshot(group.name());
                assertThat(after.commit()).isPositive();
            }
        }
    }

    /** What the harness's backends have cost the store together. */
    private static StoreCounters cost(ContractHarness harness) {
        long calls = 0;
        long safetyNet = 0;
        long roundTrips = 0;
        long messages = 0;
        for (int i = 0; i < harness.members(); i++) {
            StoreCounters one = harness.member(i).counters();
            calls += one.callCommands();
            safetyNet += one.safetyNetCommands();
            roundTrips += one.roundTrips();
            messages += one.noticeMessages();
        }
        return new StoreCounters(calls, safetyNet, roundTrips, messages);
    }

    /** Counts or reacts to each command on its way to the backend; changes nothing. */
    private static SchedulerBackend counting(SchedulerBackend backend, java.util.function.Consumer<Command> onCommand) {
        return new ForwardingBackend(backend) {
            @Override
            public CompletionStage<Outcome> execute(String group, Command command) {
                onCommand.accept(command);
                return inner.execute(group, command);
            }
        };
    }
}
