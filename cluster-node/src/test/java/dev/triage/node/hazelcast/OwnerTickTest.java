package dev.triage.node.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.ContractHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timed events are ticked by the member that owns the group's key, even when every command came through another. */
class OwnerTickTest {

    @Test
    void theOwnerTicksADeadlineThoughItSentNoCommand() {
        try (TestCluster cluster = new TestCluster(2)) {
            for (HazelcastInstance member : cluster.members()) StoreTime.inject(member, StoreClock.system());
            HazelcastInstance owner = cluster.member(1);
            String group = keyOwnedBy(cluster, owner);
            GroupSpec spec = GroupSpec.of(group, Deployment.unlimited("d1").withMaxParallelRequests(1));
            String namespace = ".owner-tick";
            try (HazelcastBackend sender = new HazelcastBackend(cluster.member(0), List.of(spec), namespace);
                 HazelcastBackend ticker = new HazelcastBackend(owner, List.of(spec), namespace)) {
                long now = sender.now();
                ContractHarness.run(sender, group, new Command.Enqueue("holder", 0, "n0", now + 60_000, 0));
                ContractHarness.run(sender, group, new Command.Enqueue("late", 0, "n0", now + 300, 0));

                await().atMost(Duration.ofSeconds(10)).until(() -> ticker.ticksSent() > 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.snapshot(group).toCompletableFuture()
                        .join().waiting().isEmpty());
                assertThat(sender.snapshot(group).toCompletableFuture().join().leases())
                        .extracting(Lease::ticketId).containsExactly("holder");
            }
        }
    }

    private static String keyOwnedBy(TestCluster cluster, HazelcastInstance member) {
        for (int i = 0; ; i++) {
            String key = "ticked-" + i;
            if (cluster.ownerOf(key) == member) return key;
        }
    }
}
