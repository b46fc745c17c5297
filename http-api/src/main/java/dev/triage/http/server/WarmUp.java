package dev.triage.http.server;

import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.http.HttpLimits;
import dev.triage.http.Router;
import dev.triage.http.SchedulerSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs calls through a private copy of the node's HTTP stack before the node listens, so that its first real
 * call does not pay for loading and interpreting every class on the way (tens of milliseconds). The copy has
 * its own mock model group on an in-memory store, its own metrics and an access log that goes nowhere, on a
 * loopback port of its own: nothing of it reaches the cluster, the node's metrics, its log or an upstream.
 */
public final class WarmUp {

    private static final String MODEL = "triage-warm-up";
    private static final String CONFIG = """
            model_list:
              - model_name: %s
                litellm_params: {model: openai/%s, mock_response: "warm"}
            litellm_settings:
              num_retries: 0
            """.formatted(MODEL, MODEL);
    private static final int ROUNDS = 20;

    private WarmUp() {
    }

    /** Completes when the calls are done and the copy is gone; never fails (a cold node still works). */
    public static Future<Void> run(Vertx vertx, HttpLimits limits) {
        TriageConfig config = ConfigLoader.parse(CONFIG, "warm-up", Map.of());
        InMemoryBackend backend = new InMemoryBackend(SchedulerSettings.groupSpecs(config), StoreClock.system());
        Router router = new Router(vertx, config, backend, "warm-up", limits);
        AccessLogWriter nowhere = AccessLogWriter.discarding();
        HttpApi api = new HttpApi(vertx, router, ApiAccess.from(config), limits,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), nowhere);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
        return api.listen(0, "127.0.0.1")
                .compose(server -> calls(client, server.actualPort()))
                .otherwiseEmpty()
                .eventually(() -> Future.all(api.close(), client.close()))
                .andThen(done -> {
                    router.close();
                    backend.close();
                    nowhere.stop();
                })
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }

    private static Future<Void> calls(HttpClient client, int port) {
        String chat = "{\"model\":\"" + MODEL + "\",\"priority\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        List<Supplier<Future<Void>>> calls = new ArrayList<>();
        calls.add(() -> send(client, port, HttpMethod.GET, "/health/readiness", null));
        calls.add(() -> send(client, port, HttpMethod.GET, "/v1/models", null));
        calls.add(() -> send(client, port, HttpMethod.GET, "/metrics", null));
        for (int i = 0; i < ROUNDS; i++) {
            calls.add(() -> send(client, port, HttpMethod.POST, "/v1/chat/completions", chat + "}"));
            calls.add(() -> send(client, port, HttpMethod.POST, "/v1/chat/completions", chat + ",\"stream\":true}"));
            calls.add(() -> send(client, port, HttpMethod.POST, "/v1/completions",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"hi\"}"));
            calls.add(() -> send(client, port, HttpMethod.POST, "/v1/chat/completions", "{\"model\":\"absent\"}"));
            calls.add(() -> send(client, port, HttpMethod.POST, "/v1/chat/completions", "{not json"));
        }
        Future<Void> chain = Future.succeededFuture();
        for (Supplier<Future<Void>> call : calls) chain = chain.compose(done -> call.get());
        return chain;
    }

    private static Future<Void> send(HttpClient client, int port, HttpMethod method, String path, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setURI(path)
                .putHeader("content-type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body())
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }
}
