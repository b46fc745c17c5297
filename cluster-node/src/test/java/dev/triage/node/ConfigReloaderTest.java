package dev.triage.node;

import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.http.server.ReloadOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reading the node's file again: what is served, what is refused, and a ConfigMap's symlink swap noticed. */
class ConfigReloaderTest {

    private static final String ONE_GROUP = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, mock_response: hi, max_parallel_requests: 1}
            """;
    private static final String TWO_GROUPS = ONE_GROUP + """
              - model_name: m2
                litellm_params: {model: openai/m2, mock_response: hi}
            """;

    @TempDir
    Path dir;

    private final List<TriageConfig> served = new CopyOnWriteArrayList<>();
    private ConfigReloader reloader;

    @AfterEach
    void close() {
        if (reloader != null) reloader.close();
    }

    private ConfigReloader reloaderOf(Path file) {
        reloader = new ConfigReloader(file, Map.of(), ConfigLoader.load(file, Map.of()), served::add);
        return reloader;
    }

    @Test
    void aValidFileIsServedAndItsChangesNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), ONE_GROUP);
        ConfigReloader reloader = reloaderOf(file);
        Files.writeString(file, TWO_GROUPS.replace("max_parallel_requests: 1", "max_parallel_requests: 4"));

        ReloadOutcome outcome = reloader.reload("test");

        assertThat(outcome.refusal()).isEmpty();
        assertThat(outcome.changes().orElseThrow().live()).containsExactly(
                "model group m: deployment m-0: max_parallel_requests 1 -> 4", "model group m2 added, 1 deployment");
        assertThat(served).singleElement().satisfies(config -> assertThat(config.group("m2")).isPresent());
    }

    @Test
    void aBadFileIsRefusedWithTheConfigErrorAndNothingIsServed() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), ONE_GROUP);
        ConfigReloader reloader = reloaderOf(file);
        Files.writeString(file, ONE_GROUP.replace("max_parallel_requests: 1", "max_parallel_requests: -1"));

        ReloadOutcome outcome = reloader.reload("test");

        assertThat(outcome.refusal()).hasValueSatisfying(why -> assertThat(why)
                .contains(file.toString(), "model_list[0].litellm_params.max_parallel_requests", "expected"));
        assertThat(served).isEmpty();
    }

    @Test
    void aConfigTheNodeCannotServeIsRefusedToo() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), ONE_GROUP);
        reloader = new ConfigReloader(file, Map.of(), ConfigLoader.load(file, Map.of()), config -> {
            throw new IllegalArgumentException("deployment x has neither api_base nor mock_response");
        });

        ReloadOutcome outcome = reloader.reload("test");

        assertThat(outcome.refusal()).contains(file + ": deployment x has neither api_base nor mock_response");
    }

    @Test
    void aConfigMapSwapOfItsSymlinkIsNoticedAndServed() throws Exception {
        // The layout Kubernetes mounts: config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>/
        Path first = Files.createDirectory(dir.resolve("..2026_12_03_1"));
        Files.writeString(first.resolve("config.yaml"), ONE_GROUP);
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("..data", "config.yaml"));
        reloaderOf(file).watchFile();

        Path second = Files.createDirectory(dir.resolve("..2026_12_03_2"));
        Files.writeString(second.resolve("config.yaml"), TWO_GROUPS);
        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(10)).until(() -> !served.isEmpty());
        assertThat(served).singleElement().satisfies(config -> assertThat(config.group("m2")).isPresent());
    }

    @Test
    void aTouchThatChangesNoByteReloadsNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), ONE_GROUP);
        reloaderOf(file).watchFile();

        Files.writeString(file, ONE_GROUP);
        Files.writeString(dir.resolve("unrelated.txt"), "x");
        Thread.sleep(1_000);

        assertThat(served).isEmpty();
    }
}
