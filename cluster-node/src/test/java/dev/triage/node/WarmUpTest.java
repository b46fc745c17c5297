package dev.triage.node;

import dev.triage.config.ConfigLoader;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.GroupSnapshot;
import dev.triage.node.cli.NodeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What start-up warms (the store's command path, a private copy of the HTTP stack) leaves no trace a user or an
 * operator could see: no ticket, lease or rpm used in any group, no access-log line, no HTTP meter.
 */
class WarmUpTest {

    private final Logger accessLog = Logger.getLogger("dev.triage.access");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void captureTheAccessLog() {
        levelBefore = accessLog.getLevel();
        accessLog.setLevel(Level.INFO);
        accessLog.addHandler(capture);
    }

    @AfterEach
    void restore() {
        accessLog.removeHandler(capture);
        accessLog.setLevel(levelBefore);
    }

    @Test
    void aStartedNodeShowsNothingOfItsWarmUp() throws Exception {
        int clusterPort = 32_700 + ThreadLocalRandom.current().nextInt(200);
        NodeOptions options = new NodeOptions(Path.of("../examples/mock-config.yaml"), OptionalInt.of(0),
                Optional.of("127.0.0.1"), OptionalInt.of(clusterPort), List.of("127.0.0.1:" + clusterPort),
                Optional.of("warm-" + java.util.UUID.randomUUID()), Optional.empty());
        try (TriageNode node = TriageNode.start(ConfigLoader.load(options.configFile(), Map.of()), options)) {
            Thread.sleep(200);
            assertThat(lines).as("access-log lines before any call").isEmpty();

            for (String group : node.backend().groups()) {
                GroupSnapshot snapshot = node.backend().snapshot(group).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(snapshot.waiting()).as("waiting in %s", group).isEmpty();
                assertThat(snapshot.leases()).as("leases in %s", group).isEmpty();
                assertThat(snapshot.loads()).as("usage in %s", group)
                        .allSatisfy(load -> assertThat(load.rpmUsed()).isZero())
                        .extracting(DeploymentLoad::inFlight).containsOnly(0);
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).doesNotContain("warm-up").doesNotContain("/v1/chat/completions")
                    .doesNotContain("route=\"/health/readiness\"");
        }
    }
}
