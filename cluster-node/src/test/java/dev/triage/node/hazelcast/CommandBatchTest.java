package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.Usage;
import dev.triage.core.rules.GroupState;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;
import dev.triage.core.spi.StoreCounters;
import dev.triage.core.tck.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands of one group that wait on a member leave as one entry-processor call: each keeps its own outcome,
 * idempotence and refusal, and the backup replica replays the batch's recorded outcomes into the same state.
 */
class CommandBatchTest {

    private static final String MAP = HazelcastBackend.MAP + ".batch-test";

    @Test
    void eachCommandOfABatchHasItsOwnOutcomeAndTheBackupEndsInTheSameState() throws Exception {
        FakeClock clock = new FakeClock();
        try (LoopbackMembers members = new LoopbackMembers(2, clock)) {
            HazelcastInstance owner = members.start(0);
            HazelcastInstance backup = members.start(1);
            String group = LoopbackMembers.keyOwnedBy(owner);
            GroupSpec spec = GroupSpec.of(group, Deployment.unlimited("d1").withMaxParallelRequests(1));
            long deadline = clock.millis() + 60_000;
            IMap<String, GroupState> fromBackup = backup.getMap(MAP);
            Outcome first = fromBackup.executeOnKey(group, new GroupCommandProcessor(spec,
                    List.of(new Command.Enqueue("t1", 5, "n1", deadline, 1)), "")).outcomes().get(0);
            Lease held = ((Result.Granted) first.result()).lease();

            BatchOutcome batch = fromBackup.executeOnKey(group, new GroupCommandProcessor(spec, List.of(
                    new Command.Enqueue("t2", 3, "n1", deadline, 1),
                    new Command.Enqueue("t1", 5, "n1", deadline, 1),
                    new Command.Enqueue("bad", 0, "n1", deadline, -1),
                    new Command.Enqueue("t3", 1, "n2", deadline, 1),
                    new Command.Release(held.id(), Usage.succeeded(1))), ""));

            assertThat(batch.size()).isEqualTo(5);
            assertThat(batch.outcomes().get(0).result()).isInstanceOf(Result.Queued.class);
            assertThat(batch.outcomes().get(1).duplicate()).as("the repeated enqueue of t1").isTrue();
            assertThat(batch.outcomes().get(1).result()).isEqualTo(first.result());
            assertThat(batch.outcomes().get(2)).as("the malformed command").isNull();
            assertThat(batch.refusals().get(2)).contains("tokens must not be negative");
            assertThat(batch.outcomes().get(4).grants()).as("the release grants the best waiting ticket")
                    .extracting(Lease::ticketId).containsExactly("t3");
            assertThat(batch.outcomes().stream().filter(o -> o != null && !o.duplicate()).map(Outcome::commit))
                    .as("commits of the commands that changed the state").containsExactly(2L, 3L, 4L);

            GroupSnapshot onOwner = snapshot(owner, spec);
            owner.getLifecycleService().terminate();
            // The survivor's state is the backup replica, built only by replaying the batch's outcomes.
            GroupSnapshot onBackup = snapshot(backup, spec);
            assertThat(onBackup).isEqualTo(onOwner);
            assertThat(onBackup.commit()).isEqualTo(4);
        }
    }

    @Test
    void commandsSentTogetherFromOneMemberTravelInFewerCallsAndAllGetTheirAnswer() throws Exception {
        FakeClock clock = new FakeClock();
        try (LoopbackMembers members = new LoopbackMembers(2, clock)) {
            HazelcastInstance owner = members.start(0);
            HazelcastInstance sender = members.start(1);
            String group = LoopbackMembers.keyOwnedBy(owner);
            GroupSpec spec = GroupSpec.of(group, Deployment.unlimited("d1").withMaxParallelRequests(4));
            try (HazelcastBackend backend = new HazelcastBackend(sender, List.of(spec), ".batch-test")) {
                long deadline = clock.millis() + 60_000;
                List<CompletableFuture<Outcome>> answers = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    answers.add(backend.execute(group, new Command.Enqueue("t" + i, i % 7, "n1", deadline, 0))
                            .toCompletableFuture());
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

                long granted = answers.stream().filter(a -> a.join().result() instanceof Result.Granted).count();
                long queued = answers.stream().filter(a -> a.join().result() instanceof Result.Queued).count();
                assertThat(granted).isEqualTo(4);
                assertThat(queued).isEqualTo(1_996);
                StoreCounters cost = backend.counters();
                System.out.println("2,000 enqueues from one member: " + cost);
                assertThat(cost.commands()).isEqualTo(2_000);
                assertThat(cost.roundTrips()).as("store calls for 2,000 commands").isLessThan(200);
                assertThat(backend.snapshot(group).toCompletableFuture().get(10, TimeUnit.SECONDS).waiting())
                        .hasSize(1_996);
            }
        }
    }

    private static GroupSnapshot snapshot(HazelcastInstance member, GroupSpec spec) throws Exception {
        IMap<String, GroupState> map = member.getMap(MAP);
        return map.submitToKey(spec.name(), new SnapshotProcessor(spec)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
