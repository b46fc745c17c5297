package dev.triage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import dev.triage.node.cli.NodeOptions;
import dev.triage.node.hazelcast.HazelcastBackend;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node started alone from a three-member list (cluster.min_members a majority, 2) may not admit, and says why
 * in words an operator acts on: in the 503, in the readiness body, and once in the log when it changes.
 */
class LoneNodeTest {

    private static final Path EXAMPLE = Path.of("../examples/mock-config.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "1 of 3 members present, cluster.min_members is 2";

    @Test
    void aLoneNodeNamesTheMembersPresentAndTheMinimumUntilASecondJoins() throws Exception {
        int base = 32_700 + ThreadLocalRandom.current().nextInt(100) * 3;
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
        String cluster = "lone-" + UUID.randomUUID();
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(HazelcastBackend.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (TriageNode lone = start(base, members, cluster)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> refused = chat(lone);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(refused.body()).at("/error/message").asText())
                        .isEqualTo("this node cannot admit: " + PROBLEM + "; retry on another node");
            }
            JsonNode readiness = JSON.readTree(get(lone, "/health/readiness").body());
            assertThat(readiness.path("status").asText()).isEqualTo("unavailable");
            assertThat(readiness.path("reason").asText()).isEqualTo(PROBLEM);
            assertThat(logged).containsOnlyOnce("not admitting: " + PROBLEM);

            try (TriageNode second = start(base + 1, members, cluster)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(chat(lone).statusCode()).isEqualTo(200));
                assertThat(get(lone, "/health/readiness").statusCode()).isEqualTo(200);
                assertThat(logged).last().asString().startsWith("admitting again: ");
            }
        } finally {
            log.removeHandler(capture);
        }
    }

    private static TriageNode start(int clusterPort, List<String> members, String cluster) throws Exception {
        return TriageNode.start(ConfigLoader.load(EXAMPLE, Map.of()), new NodeOptions(EXAMPLE, OptionalInt.of(0),
                Optional.empty(), OptionalInt.of(clusterPort), members, Optional.of(cluster), Optional.empty()));
    }

    private static HttpResponse<String> chat(TriageNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(TriageNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
