package dev.triage.node.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes as separate JVMs on loopback (the packaged jar), one upstream with a parallel limit of 4 for
 * the whole fleet, clients sending to every node; then one node is killed, or frozen and thawed.
 */
class ClusterProcessIT {

    private static final int PARALLEL = 4;
    private static final int LEASE_BOUND_SECONDS = 4;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(45);

    private final List<NodeProcess> nodes = new ArrayList<>();
    private SlowUpstream upstream;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every request sent, by node index, with its answer: a status, or the exception the client saw. */
    private final Map<Integer, List<CompletableFuture<Object>>> sent = new ConcurrentHashMap<>();

    @BeforeEach
    void startCluster() throws Exception {
        upstream = new SlowUpstream(50);
        int base = 21_000 + ThreadLocalRandom.current().nextInt(300) * 10;
        List<String> members = List.of("127.0.0.1:" + (base + 5), "127.0.0.1:" + (base + 6), "127.0.0.1:" + (base + 7));
        Path config = Files.createTempFile("triage-it", ".yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: %s
                      max_parallel_requests: %d
                      timeout: 10
                litellm_settings:
                  num_retries: 0
                router_settings:
                  timeout: 30
                cluster:
                  lease_bound: %d
                  min_members: 2
                """.formatted(upstream.apiBase(), PARALLEL, LEASE_BOUND_SECONDS));
        String clusterName = "it-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            nodes.add(new NodeProcess(config, base + i, base + 5 + i, members, clusterName,
                    NodeProcess.logDir().toPath().resolve(clusterName + "-node" + i + ".log")));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> nodes.stream().allMatch(NodeProcess::ready));
    }

    @AfterEach
    void stopCluster() {
        nodes.forEach(NodeProcess::close);
        upstream.close();
    }

    @Test
    void killingANodeLeavesEveryRequestToTheSurvivorsWithExactlyOneAnswer() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = startLoad(running, List.of(0, 1, 2));
        Thread.sleep(3_000);

        nodes.get(2).kill9();
        Thread.sleep(TimeUnit.SECONDS.toMillis(LEASE_BOUND_SECONDS) + 6_000);
        running.set(false);
        for (Thread thread : load) thread.join();
        report("kill -9");

        for (int survivor : List.of(0, 1)) {
            List<Object> answers = answers(survivor);
            assertThat(answers).as("answers from node %d", survivor).isNotEmpty()
                    .allSatisfy(answer -> assertThat(answer).isInstanceOf(Integer.class));
            assertThat(answers).as("statuses from node %d", survivor)
                    .allSatisfy(status -> assertThat((Integer) status).isIn(200, 429, 503));
        }
        assertThat(upstream.peak()).as("calls the upstream served at once").isLessThanOrEqualTo(PARALLEL);
        // The dead node's slots came back: a burst through the survivors fills every slot again. Calls that last
        // a second overlap however slowly a busy machine hands the slots out.
        upstream.delay(1_000);
        upstream.resetPeak();
        List<CompletableFuture<Object>> burst = new ArrayList<>();
        for (int i = 0; i < 3 * PARALLEL; i++) burst.add(send(i % 2, 0));
        for (CompletableFuture<Object> answer : burst) {
            assertThat(answer.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(upstream.peak()).as("slots in use during the burst after the kill").isEqualTo(PARALLEL);
    }

    @Test
    void aFrozenNodeThatThawsAnswersEveryRequestAndRejoins() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = startLoad(running, List.of(0, 1, 2));
        Thread.sleep(3_000);

        NodeProcess frozen = nodes.get(2);
        frozen.freeze();
        Thread.sleep(TimeUnit.SECONDS.toMillis(2L * LEASE_BOUND_SECONDS));
        frozen.thaw();
        assertThat(frozen.readiness()).as("a thawed node is not ready before it has merged back").isEqualTo(503);

        long thawed = System.nanoTime();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(frozen.ready()).as("thawed node ready again").isTrue());
        System.out.printf("SIGSTOP/SIGCONT: the thawed node was ready again %.1f s after SIGCONT%n",
                (System.nanoTime() - thawed) / 1e9);
        Thread.sleep(2_000);
        running.set(false);
        for (Thread thread : load) thread.join();
        report("SIGSTOP/SIGCONT");

        for (int node : List.of(0, 1, 2)) {
            // A call the frozen node had upstream when it stopped can outlive the deployment's timeout meanwhile:
            // its 504 is a clear answer too. The survivors have no such excuse.
            Integer[] clear = node == 2 ? new Integer[] {200, 429, 503, 504} : new Integer[] {200, 429, 503};
            assertThat(answers(node)).as("answers from node %d", node).isNotEmpty()
                    .allSatisfy(answer -> assertThat(answer).as("node %d answered", node).isInstanceOf(Integer.class))
                    .allSatisfy(status -> assertThat((Integer) status).isIn((Object[]) clear));
        }
        assertThat(upstream.peak()).as("calls the upstream served at once (%d sent by the frozen node mid-request)",
                upstream.lateBodies()).isLessThanOrEqualTo(PARALLEL + upstream.lateBodies());
        assertThat(sendOne(2)).as("a call through the thawed node").startsWith("200 ");
        // No slot was lost or counted twice: a burst through all three nodes fills every slot, and no more.
        upstream.resetPeak();
        List<CompletableFuture<Object>> burst = new ArrayList<>();
        for (int i = 0; i < 3 * PARALLEL; i++) burst.add(send(i % 3, 0));
        for (CompletableFuture<Object> answer : burst) {
            assertThat(answer.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(upstream.peak()).as("slots in use during the burst after the thaw").isEqualTo(PARALLEL);
    }

    /** Client loops, each sending one request at a time to the given nodes in turn, until told to stop. */
    private List<Thread> startLoad(AtomicBoolean running, List<Integer> targets) {
        List<Thread> threads = new ArrayList<>();
        for (int loop = 0; loop < 9; loop++) {
            int first = loop;
            Thread thread = new Thread(() -> {
                int i = first;
                while (running.get()) {
                    int node = targets.get(i++ % targets.size());
                    CompletableFuture<Object> answer = send(node, i % 3);
                    sent.computeIfAbsent(node, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(answer);
                    try {
                        answer.get(CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
                    } catch (Exception stillRecorded) {
                        // the future keeps what happened; the assertions read it
                    }
                }
            }, "load-" + loop);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    private CompletableFuture<Object> send(int node, int priority) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.get(node).url() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"priority\":" + priority
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .<Object>thenApply(HttpResponse::statusCode)
                .exceptionally(error -> error);
    }

    /** Prints what the run saw, so a reader of the build log can see the figures behind the assertions. */
    private void report(String test) throws Exception {
        StringBuilder line = new StringBuilder(test + ": upstream peak " + upstream.peak() + " of " + PARALLEL
                + ", served " + upstream.served() + ", late request bodies " + upstream.lateBodies());
        for (int node = 0; node < nodes.size(); node++) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (CompletableFuture<Object> future : sent.getOrDefault(node, List.of())) {
                Object answer = future.getNow("pending");
                counts.merge(answer instanceof Integer ? answer.toString() : answer.getClass().getSimpleName(), 1L,
                        Long::sum);
            }
            line.append("; node ").append(node).append(' ').append(counts);
        }
        System.out.println(line);
    }

    /** One request, answered: its status and body, so a failing assertion shows what the node said. */
    private String sendOne(int node) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.get(node).url() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** The answers to requests sent to a node; a request the killed node never accepted is not counted. */
    private List<Object> answers(int node) throws Exception {
        List<Object> answers = new ArrayList<>();
        for (CompletableFuture<Object> future : sent.getOrDefault(node, List.of())) {
            answers.add(future.get(CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS));
        }
        return answers;
    }
}
