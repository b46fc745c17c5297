package dev.triage.node;

import dev.triage.config.ConfigLoader;
import dev.triage.node.cli.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No thread is started per call, on any path: capacity free (granted in its own enqueue), queued behind a
 * parallel limit (granted by a notice after a release), a mock deployment and a real upstream over HTTP. On a
 * machine with two cores, Hazelcast's and CompletableFuture's default async executors start a thread for
 * every callback, which once cost four thread starts per request.
 */
class ThreadStartsTest {

    private static final int CALLS_PER_MODEL = 1_000;
    private static final int CONNECTIONS = 16;
    /** Threads a node may still start during the measured calls: pools reaching their size, timers, Hazelcast. */
    private static final long ALLOWED_STARTS = 25;

    @TempDir
    Path dir;
    private Vertx client;
    private HttpServer upstream;
    private TriageNode node;

    @BeforeEach
    void startNodeAndUpstream() throws Exception {
        client = Vertx.vertx();
        upstream = client.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
                request.response().putHeader("content-type", "application/json").end(
                        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}")))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: free
                    litellm_params: {model: openai/m, mock_response: "hi"}
                  - model_name: limited
                    litellm_params: {model: openai/m, mock_response: "hi", max_parallel_requests: 2}
                  - model_name: upstream
                    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:%d/v1", max_parallel_requests: 3}
                router_settings: {timeout: 60}
                """.formatted(upstream.actualPort()));
        int clusterPort = 33_000 + ThreadLocalRandom.current().nextInt(700);
        node = TriageNode.start(ConfigLoader.load(config, Map.of()), new NodeOptions(config, OptionalInt.of(0),
                Optional.of("127.0.0.1"), OptionalInt.of(clusterPort), List.of("127.0.0.1:" + clusterPort),
                Optional.of("threads-" + UUID.randomUUID()), Optional.empty()));
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) node.close();
        client.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aNodeStartsNoThreadPerCall() throws Exception {
        HttpClient http = client.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        for (String model : List.of("free", "limited", "upstream")) send(http, model, 100, statuses);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getTotalStartedThreadCount();

        statuses.clear();
        for (String model : List.of("free", "limited", "upstream")) {
            long t0 = System.nanoTime();
            send(http, model, CALLS_PER_MODEL, statuses);
            System.out.printf("%s: %d calls in %d ms, threads started so far %d%n", model, CALLS_PER_MODEL,
                    (System.nanoTime() - t0) / 1_000_000, threads.getTotalStartedThreadCount() - before);
        }
        long started = threads.getTotalStartedThreadCount() - before;

        assertThat(statuses.keySet()).containsExactly(200);
        assertThat(statuses.get(200).get()).isEqualTo(3 * CALLS_PER_MODEL);
        assertThat(started).as("threads started during %d calls", 3 * CALLS_PER_MODEL).isLessThanOrEqualTo(ALLOWED_STARTS);
    }

    /** {@code calls} calls, {@link #CONNECTIONS} at a time, each connection sending its next when one ends. */
    private void send(HttpClient http, String model, int calls, Map<Integer, AtomicInteger> statuses) throws Exception {
        URIHolder target = new URIHolder(node.url());
        AtomicInteger left = new AtomicInteger(calls);
        List<Future<Void>> loops = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) loops.add(loop(http, target, model, left, statuses));
        Future.all(loops).await(120, TimeUnit.SECONDS);
    }

    private Future<Void> loop(HttpClient http, URIHolder target, String model, AtomicInteger left,
                              Map<Integer, AtomicInteger> statuses) {
        if (left.getAndDecrement() <= 0) return Future.succeededFuture();
        Buffer body = Buffer.buffer("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"priority\":" + ThreadLocalRandom.current().nextInt(3) + "}");
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host).setPort(target.port)
                        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(response.statusCode()))
                .compose(status -> {
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return loop(http, target, model, left, statuses);
                });
    }

    private record URIHolder(String host, int port) {
        URIHolder(String url) {
            this(java.net.URI.create(url).getHost(), java.net.URI.create(url).getPort());
        }
    }
}
