package dev.triage.node.hazelcast;

import dev.triage.core.Admission;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.NodeScheduler;
import dev.triage.core.Usage;
import dev.triage.core.spi.StoreClock;
import dev.triage.core.tck.BackendFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling update on a live cluster: three members move from one config to another, one at a time, under load.
 * The group takes the newer settings from the first member that brings them, the older members cannot take
 * them back, the new limit holds across the fleet, and no slot is lost or doubled.
 */
class ConfigRolloutTest {

    private static final String GROUP = "rollout";
    private static final int THREADS_PER_MEMBER = 4;

    private static GroupSpec parallel(int slots, long loadedAt) {
        return GroupSpec.of(GROUP, Deployment.unlimited("d1").withMaxParallelRequests(slots)).loadedAt(loadedAt);
    }

    @Test
    void threeMembersRollToARaisedThenALoweredLimitUnderLoad() throws Exception {
        try (TestCluster cluster = new TestCluster(3)) {
            BackendFixture fixture = cluster.fixture(List.of(parallel(1, 1_000)), StoreClock.system());
            List<NodeScheduler> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) nodes.add(new NodeScheduler(fixture.member(i), "n" + i, 30, 1_000, null));
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger served = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            for (NodeScheduler node : nodes) {
                for (int t = 0; t < THREADS_PER_MEMBER; t++) {
                    Thread thread = new Thread(() -> callInALoop(node, running, inFlight, peak, served));
                    thread.start();
                    load.add(thread);
                }
            }
            try {
                awaitServed(served, 30);
                assertThat(peak.get()).as("calls at once under max_parallel_requests 1").isEqualTo(1);

                rollOut(fixture, parallel(4, 2_000), nodes, peak);
                awaitServed(served, 200);
                await().atMost(Duration.ofSeconds(20)).until(() -> peak.get() >= 4);
                assertThat(peak.get()).as("calls at once after the roll to 4").isEqualTo(4);

                rollOut(fixture, parallel(2, 3_000), nodes, peak);
                // The calls granted under 4 end within milliseconds; from then on the lowered limit holds.
                await().atMost(Duration.ofSeconds(20)).until(() -> inFlight.get() <= 2);
                peak.set(inFlight.get());
                awaitServed(served, 200);
                await().atMost(Duration.ofSeconds(20)).until(() -> peak.get() >= 2);
                assertThat(peak.get()).as("calls at once after the roll to 2").isEqualTo(2);
            } finally {
                running.set(false);
                for (Thread thread : load) thread.join(10_000);
            }

            assertThat(served.get()).isGreaterThan(100);
            assertThat(nodes).allSatisfy(node -> assertThat(node.settingsBehind()).isEmpty());
            GroupSnapshot after = fixture.member(0).snapshot(GROUP).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(after.leases()).as("every slot came back").isEmpty();
            assertThat(after.waiting()).isEmpty();
            // Exactly the new limit's slots are there to take: none lost, none doubled.
            List<CompletableFuture<Admission>> burst = new ArrayList<>();
            for (int i = 0; i < 3; i++) burst.add(nodes.get(i % 3).acquire(GROUP, 0, 0, System.currentTimeMillis() + 30_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> burst.stream().filter(CompletableFuture::isDone).count() == 2);
            assertThat(burst.stream().filter(CompletableFuture::isDone).count()).isEqualTo(2);
            nodes.forEach(NodeScheduler::close);
            fixture.close();
        }
    }

    /** Waits until {@code more} calls beyond those served so far have been served (a slow machine is slow). */
    private static void awaitServed(AtomicInteger served, int more) {
        int target = served.get() + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> served.get() >= target);
    }

    /** Member by member, as a rollout restarts pods: each serves the new spec, and the others are behind meanwhile. */
    private static void rollOut(BackendFixture fixture, GroupSpec next, List<NodeScheduler> nodes, AtomicInteger peak)
            throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            fixture.member(i).serve(List.of(next));
            if (i == 0) {
                NodeScheduler behind = nodes.get(1);
                await().atMost(Duration.ofSeconds(10)).until(() -> behind.settingsBehind().contains(GROUP));
            }
            Thread.sleep(150);
        }
        peak.set(0);
    }

    private static void callInALoop(NodeScheduler node, AtomicBoolean running, AtomicInteger inFlight,
                                    AtomicInteger peak, AtomicInteger served) {
        while (running.get()) {
            Admission admission;
            try {
                admission = node.acquire(GROUP, 0, 0, System.currentTimeMillis() + 30_000).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (running.get()) throw new AssertionError("a call was not admitted", e);
                return;
            }
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            served.incrementAndGet();
            node.release(admission, Usage.succeeded(0)).toCompletableFuture().join();
        }
    }
}
