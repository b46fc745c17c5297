package dev.triage.node.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to a node as the packaged jar runs it: the drain is logged, new calls (on new connections) get 503
 * until the process ends, and {@code general_settings.drain_timeout} bounds the wait for calls in flight.
 */
class ShutdownProcessIT {

    private NodeProcess node;
    private SlowUpstream upstream;

    @AfterEach
    void stop() {
        if (node != null) node.close();
        if (upstream != null) upstream.close();
    }

    private void start(long upstreamMillis, String drainTimeout) throws Exception {
        upstream = new SlowUpstream(upstreamMillis);
        int base = 24_000 + ThreadLocalRandom.current().nextInt(300) * 10;
        Path config = Files.createTempFile("triage-shutdown", ".yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: %s
                      max_parallel_requests: 1
                litellm_settings:
                  num_retries: 0
                general_settings:
                  drain_timeout: %s
                """.formatted(upstream.apiBase(), drainTimeout));
        String clusterName = "shutdown-" + UUID.randomUUID();
        node = new NodeProcess(config, base, base + 5, List.of("127.0.0.1:" + (base + 5)), clusterName,
                NodeProcess.logDir().toPath().resolve(clusterName + ".log"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(node::ready);
    }

    @Test
    void sigtermLogsTheDrainAnswersNewcomersWith503AndLetsTheCallInFlightFinish() throws Exception {
        start(3_000, "30");
        CompletableFuture<HttpResponse<String>> admitted = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.served() + upstream.peak() > 0);
        CompletableFuture<HttpResponse<String>> waiting = send();
        Thread.sleep(300);

        node.terminate();

        assertThat(waiting.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        HttpResponse<String> newcomer = send().get(5, TimeUnit.SECONDS);
        assertThat(newcomer.statusCode()).as("a call on a new connection during the drain").isEqualTo(503);
        assertThat(newcomer.body()).contains("shutting down");
        assertThat(admitted).as("the admitted call is still upstream").isNotDone();
        HttpResponse<String> finished = admitted.get(20, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(node.awaitExit(Duration.ofSeconds(30))).as("the node exits after the drain").isTrue();
        assertThat(node.log())
                .contains("stopping: new calls get 503; 1 waiting get 503 now; 1 in flight may finish within the "
                        + "drain timeout of 30 s (general_settings.drain_timeout)")
                .containsPattern("drained in \\d+ ms: every call in flight finished")
                .containsPattern("stopped in \\d+ ms");
        assertThat(node.log().lines().filter(line -> line.contains("dev.triage.access")
                        && line.contains("\"route\":\"/v1/chat/completions\"")).map(ShutdownProcessIT::status))
                .as("the access log of every call, written before the process ended")
                .containsExactlyInAnyOrder("200", "503", "503");
    }

    private static String status(String accessLine) {
        return accessLine.replaceAll(".*\"status\":(\\d+).*", "$1");
    }

    @Test
    void theDrainTimeoutCutsOffACallThatRunsOnAndSaysSo() throws Exception {
        start(60_000, "1.5");
        CompletableFuture<HttpResponse<String>> admitted = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.peak() > 0);
        long signalled = System.nanoTime();

        node.terminate();

        HttpResponse<String> cutOff = admitted.get(20, TimeUnit.SECONDS);
        assertThat(cutOff.statusCode()).isEqualTo(503);
        assertThat(cutOff.body()).contains("stopped before the upstream answered");
        assertThat(node.awaitExit(Duration.ofSeconds(20))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("from SIGTERM to exit")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_500)).isLessThan(Duration.ofSeconds(20));
        assertThat(node.log()).contains("drain timeout of 1.5 s reached: 1 calls still in flight are cut off with 503")
                .containsPattern("stopped in \\d+ ms");
    }

    /** Each call on a client of its own, so each is a new connection, as from a load balancer. */
    private CompletableFuture<HttpResponse<String>> send() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
