package dev.triage.benchmarks;

import dev.triage.config.ConfigLoader;
import dev.triage.core.SchedulingEvent;
import dev.triage.node.TriageNode;
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
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Traces where the time of a slot's hand-off goes: one deployment with one parallel slot and a 100 ms upstream,
 * 30 calls sent at once, and for each hand-off from call k to call k+1 the time from call k's upstream end to
 * each step ({@link SchedulingEvent}: release sent, release answered, the next call's grant noticed, its upstream
 * call made, and its arrival at the upstream). Everything runs in this JVM (the nodes too, one or three members),
 * so one Flight Recorder clock times every step.
 *
 * <p>Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.triage.benchmarks.HandoffTrace [nodes=1] [calls=30]}; {@code -Dtriage.trace.dump=true} also prints the first 40
 * events as they were recorded.
 */
public final class HandoffTrace {

    private static final String[] STEPS = {"release sent", "release answered", "grant noticed", "upstream called",
            "upstream arrival"};

    @Name("dev.triage.benchmarks.UpstreamArrival")
    static final class UpstreamArrival extends jdk.jfr.Event {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        Logger.getLogger("dev.triage.access").setLevel(Level.WARNING);
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            new UpstreamArrival().commit();
            long delay = request.path().startsWith("/fast") ? 1 : 100;
            vertx.setTimer(delay, id -> request.response().putHeader("content-type", "application/json").end(
                    "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}"));
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("handoff-trace");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:%d/v1", max_parallel_requests: 1}
                  - model_name: warm
                    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:%d/fast/v1"}
                  - model_name: warm-queued
                    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:%d/fast/v1", max_parallel_requests: 2}
                router_settings: {timeout: 60}
                """.formatted(upstream.actualPort(), upstream.actualPort(), upstream.actualPort()));
        List<TriageNode> started = startNodes(config, nodes);
        try (Recording recording = new Recording()) {
            recording.enable(SchedulingEvent.NAME).withoutThreshold();
            recording.enable(UpstreamArrival.class).withoutThreshold();
            HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(calls));
            warmUp(client, started, 20_000);
            recording.start();
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) answers.add(call(client, started.get(i % nodes)));
            Future.all(answers).await(120, TimeUnit.SECONDS);
            recording.stop();
            Path file = dir.resolve("handoff.jfr");
            recording.dump(file);
            report(nodes, calls, RecordingFile.readAllEvents(file));
        } finally {
            started.forEach(TriageNode::close);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static List<TriageNode> startNodes(Path config, int nodes) throws Exception {
        int basePort = 27_000 + (int) (Math.random() * 500) * 2;
        List<String> members = new ArrayList<>();
        for (int i = 0; i < nodes; i++) members.add("127.0.0.1:" + (basePort + i));
        String cluster = "handoff-" + UUID.randomUUID();
        List<TriageNode> started = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            started.add(TriageNode.start(ConfigLoader.load(config, Map.of()), new NodeOptions(config, OptionalInt.of(0),
                    Optional.of("127.0.0.1"), OptionalInt.of(basePort + i), members, Optional.of(cluster), Optional.empty())));
        }
        return started;
    }

    /**
     * Enough calls through every node for the JIT to compile the whole path (an untrained path is 10x slower),
     * the queued one too: a busy gateway hands slots over all day, so its queue and grant code is compiled.
     */
    private static void warmUp(HttpClient client, List<TriageNode> nodes, int calls) throws Exception {
        for (int round = 0; round < calls / 50; round++) {
            String model = round % 2 == 0 ? "warm" : "warm-queued";
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) answers.add(call(client, nodes.get(i % nodes.size()), model));
            Future.all(answers).await(30, TimeUnit.SECONDS);
        }
        call(client, nodes.get(0), "m").await(10, TimeUnit.SECONDS);
    }

    private static Future<Integer> call(HttpClient client, TriageNode node) {
        return call(client, node, "m");
    }

    private static Future<Integer> call(HttpClient client, TriageNode node, String model) {
        URI url = URI.create(node.url());
        Buffer body = Buffer.buffer("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                        .setPort(url.getPort()).setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(response.statusCode()));
    }

    /** For each upstream end, the first of each later step: its own release, then the next call's grant and call. */
    private static void report(int nodes, int calls, List<RecordedEvent> events) {
        events.sort(Comparator.comparing(RecordedEvent::getStartTime));
        if (Boolean.getBoolean("triage.trace.dump")) {
            java.time.Instant first = events.get(0).getStartTime();
            for (RecordedEvent e : events.subList(0, Math.min(40, events.size()))) {
                System.out.printf("%8d us %-18s %s %s%n", java.time.Duration.between(first, e.getStartTime()).toNanos() / 1000,
                        stage(e), e.getThread() == null ? "" : e.getThread().getJavaName(),
                        stage(e) == null ? "" : e.getString("leaseId"));
            }
        }
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        for (String step : STEPS) micros.put(step, new ArrayList<>());
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent end = events.get(i);
            if (!"UPSTREAM_ENDED".equals(stage(end))) continue;
            String lease = end.getString("leaseId");
            long[] at = new long[STEPS.length];
            Arrays.fill(at, -1);
            String nextLease = null;
            for (int j = i + 1; j < events.size() && at[4] < 0; j++) {
                RecordedEvent e = events.get(j);
                String stage = stage(e);
                long delta = java.time.Duration.between(end.getStartTime(), e.getStartTime()).toNanos() / 1_000;
                if (stage == null) {
                    if (at[3] >= 0) at[4] = delta;
                } else if (stage.equals("RELEASE_SENT") && lease.equals(e.getString("leaseId")) && at[0] < 0) {
                    at[0] = delta;
                } else if (stage.equals("RELEASE_ANSWERED") && lease.equals(e.getString("leaseId")) && at[1] < 0) {
                    at[1] = delta;
                } else if (stage.equals("GRANT_NOTICED") && !lease.equals(e.getString("leaseId")) && at[2] < 0) {
                    at[2] = delta;
                    nextLease = e.getString("leaseId");
                } else if (stage.equals("UPSTREAM_CALLED") && e.getString("leaseId").equals(nextLease)) {
                    at[3] = delta;
                }
            }
            if (at[4] < 0) continue;
            for (int s = 0; s < STEPS.length; s++) micros.get(STEPS[s]).add(at[s]);
        }
        System.out.printf("hand-off trace, %d node(s), %d calls, one slot, 100 ms upstream: %d hand-offs%n", nodes,
                calls, micros.get(STEPS[4]).size());
        System.out.println("| step, from the upstream end of call k | p50 | p90 | max |");
        System.out.println("| --- | --- | --- | --- |");
        for (var step : micros.entrySet()) {
            long[] sorted = step.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) continue;
            System.out.printf("| %s | %d us | %d us | %d us |%n", step.getKey(), sorted[sorted.length / 2],
                    sorted[(int) (sorted.length * 0.9)], sorted[sorted.length - 1]);
        }
    }

    private static String stage(RecordedEvent event) {
        return event.getEventType().getName().equals(SchedulingEvent.NAME) ? event.getString("stage") : null;
    }
}
