package dev.triage.node.redis;

import dev.triage.core.Admission;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.NodeScheduler;
import dev.triage.core.Usage;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis mode when things go wrong, on a real redis-server and three nodes sharing it: the server killed and
 * started again empty under load, and a node that dies holding every slot.
 */
class RedisFailureTest {

    private static final String GROUP = "g";
    private static final int SLOTS = 4;
    private static final GroupSpec SPEC = GroupSpec.of(GROUP, Deployment.unlimited("d1")
            .withMaxParallelRequests(SLOTS)).withLeaseBound(3_000);

    private TestRedis redis;
    private Vertx vertx;
    private RedisFleet fleet;
    private final List<NodeScheduler> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        vertx = Vertx.vertx();
        fleet = new RedisFleet(vertx, redis.url(), 3, List.of(SPEC), null, RedisBackend.SNAPSHOT_EVERY);
        for (int i = 0; i < 3; i++) nodes.add(new NodeScheduler(fleet.member(i), "n" + i, 30, 500, null));
    }

    @AfterEach
    void stop() {
        nodes.forEach(NodeScheduler::close);
        fleet.close();
        vertx.close().await();
        redis.close();
    }

    @Test
    void aServerKilledAndStartedEmptyMidRunLeavesEveryRequestOneAnswerAndEverySlotFree() throws Exception {
        assumeTrue(redis.ownsServer(), "REDIS_URL names a server this test may not kill");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> grantsPerTicket = new ConcurrentHashMap<>();
        List<CompletableFuture<Object>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            NodeScheduler node = nodes.get(c % nodes.size());
            Random random = new Random(c);
            clients.add(new Thread(() -> {
                while (running.get()) {
                    CompletableFuture<Object> answer = new CompletableFuture<>();
                    answers.add(answer);
                    long deadline = fleet.member(0).now() + 6_000;
                    try {
                        Admission admission = node.acquire(GROUP, random.nextInt(3), 0, deadline)
                                .get(20, TimeUnit.SECONDS);
                        grantsPerTicket.merge(admission.ticket().id(), 1, Integer::sum);
                        Thread.sleep(10);
                        node.release(admission, Usage.succeeded(0));
                        answer.complete("admitted");
                    } catch (java.util.concurrent.ExecutionException refused) {
                        answer.complete("refused");
                        sleep(20);
                    } catch (Exception e) {
                        answer.completeExceptionally(e);
                    }
                }
            }, "redis-client-" + c));
        }
        clients.forEach(Thread::start);
        Thread.sleep(1_500);
        redis.kill();
        Thread.sleep(1_500);
        redis.restart();
        Thread.sleep(3_000);
        running.set(false);
        for (Thread client : clients) client.join(30_000);

        long admitted = answers.stream().filter(a -> a.getNow("").equals("admitted")).count();
        System.out.printf("redis killed and restarted empty under load: %d requests, %d admitted, %d refused"
                + " (503 while it was down)%n", answers.size(), admitted, answers.size() - admitted);
        assertThat(answers).as("requests sent").hasSizeGreaterThan(50);
        for (CompletableFuture<Object> answer : answers) {
            assertThat(answer).as("every request answered, once").isDone().isNotCompletedExceptionally();
        }
        assertThat(grantsPerTicket.values()).as("no ticket granted twice").allMatch(grants -> grants == 1);
        assertThat(admitted).as("admitted, before the kill and after the restart").isGreaterThan(10);
        // Releases sent while the server was down are sent again until it takes them: every slot comes back.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            GroupSnapshot snapshot = fleet.member(1).snapshot(GROUP).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(snapshot.leases()).as("leases left").isEmpty();
            assertThat(snapshot.waiting()).as("tickets left").isEmpty();
        });
        assertAllSlotsGrantAtOnce();
    }

    @Test
    void aNodeThatDiesHoldingEverySlotLosesThemWithinTheLeaseBound() throws Exception {
        NodeScheduler dying = nodes.get(2);
        List<Admission> held = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            held.add(dying.acquire(GROUP, 0, 0, fleet.member(2).now() + 60_000).get(10, TimeUnit.SECONDS));
        }
        CompletableFuture<Admission> waiting = nodes.get(0).acquire(GROUP, 0, 0, fleet.member(0).now() + 60_000);
        Thread.sleep(300);
        assertThat(waiting).as("all slots held").isNotDone();

        // As kill -9 would: the node sends nothing more, neither heartbeats nor releases nor its leave.
        fleet.member(2).close();
        dying.close();
        long died = System.nanoTime();

        Admission admitted = waiting.get(15, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - died) / 1_000_000;
        System.out.printf("redis: a dead node's slot came back %d ms after it died (lease bound %d ms)%n",
                tookMillis, SPEC.leaseBoundMillis());
        assertThat(tookMillis).as("within the lease bound and a tick").isLessThan(SPEC.leaseBoundMillis() + 3_000);
        nodes.get(0).release(admitted, Usage.succeeded(0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(held).hasSize(SLOTS);
        nodes.remove(dying);
    }

    @Test
    void aLogThatLostEntriesNoSnapshotCoversStartsANewEpochAndTheNodesReRegister() throws Exception {
        Admission held = nodes.get(0).acquire(GROUP, 0, 0, fleet.member(0).now() + 60_000).get(10, TimeUnit.SECONDS);
        long epoch = fleet.member(0).snapshot(GROUP).toCompletableFuture().get(5, TimeUnit.SECONDS).epoch();
        // As an evicted or hand-deleted stream would: the entries are gone, the sequence number goes on.
        Redis admin = RedisFleet.client(vertx, List.of(redis.url()), false);
        admin.send(Request.cmd(Command.DEL).arg(RedisKeys.of(fleet.prefix(), GROUP).log()))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        nodes.get(1).acquire(GROUP, 0, 0, fleet.member(1).now() + 60_000);

        // A node that starts now finds the log beginning past where any snapshot could take it.
        try (RedisBackend late = new RedisBackend(vertx, admin, fleet.prefix(), List.of(SPEC), null)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GroupSnapshot snapshot = late.snapshot(GROUP).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(snapshot.epoch()).as("a new epoch").isNotEqualTo(epoch).isNotZero();
                assertThat(snapshot.leases()).as("the lease node n0 holds, re-registered")
                        .extracting(l -> l.id()).contains(held.lease().id());
            });
        } finally {
            admin.close();
        }
        nodes.get(0).release(held, Usage.succeeded(0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Every slot free: as many calls as slots, sent at once, are all granted. */
    private void assertAllSlotsGrantAtOnce() throws Exception {
        List<CompletableFuture<Admission>> burst = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            burst.add(nodes.get(i % nodes.size()).acquire(GROUP, 0, 0, fleet.member(0).now() + 10_000));
        }
        Set<String> granted = new java.util.HashSet<>();
        for (CompletableFuture<Admission> f : burst) granted.add(f.get(10, TimeUnit.SECONDS).lease().id());
        assertThat(granted).hasSize(SLOTS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
