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
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged jar serves its edited config file without a restart, and SIGHUP reloads it (it does not stop it). */
class ReloadProcessIT {

    private static final String ONE_GROUP = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, mock_response: hi}
            """;

    private NodeProcess node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void anEditedFileIsServedAndSighupReloadsWithoutStoppingTheNode() throws Exception {
        int base = 27_000 + ThreadLocalRandom.current().nextInt(300) * 10;
        Path config = Files.createTempFile("triage-reload", ".yaml");
        Files.writeString(config, ONE_GROUP);
        String clusterName = "reload-" + UUID.randomUUID();
        node = new NodeProcess(config, base, base + 5, List.of("127.0.0.1:" + (base + 5)), clusterName,
                NodeProcess.logDir().toPath().resolve(clusterName + ".log"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(node::ready);

        Files.writeString(config, ONE_GROUP + """
                  - model_name: m2
                    litellm_params: {model: openai/m2, mock_response: hi}
                """);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> models().contains("m2"));
        assertThat(node.log()).contains("config reloaded (the file changed) from " + config
                + ": model group m2 added, 1 deployment");

        node.hangUp();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(node.log()).contains("config reloaded (SIGHUP) from " + config + ": nothing changed"));
        assertThat(node.ready()).as("still serving after SIGHUP").isTrue();
        assertThat(models()).contains("\"id\":\"m\"", "\"id\":\"m2\"");
    }

    private String models() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
