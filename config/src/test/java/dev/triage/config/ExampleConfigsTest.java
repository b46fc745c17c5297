package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Maven runs the tests in the module directory, so the examples are one level up. */
class ExampleConfigsTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Map<String, String> REDIS_ENV =
            Map.of("REDIS_HOST", "redis.local", "REDIS_PASSWORD", "hunter2", "REDIS_PORT", "6379");

    @Test
    void loadsTheSeedConfigOnceItsTyposAreMended() {
        TriageConfig config = ConfigLoader.load(EXAMPLES.resolve("litellm-seed-config.yaml"), REDIS_ENV);

        DeploymentSettings deployment = config.group("gpt-3.5-turbo-fake-model").orElseThrow().deployments().get(0);
        assertThat(deployment.model()).isEqualTo("gpt-3.5-turbo");
        assertThat(deployment.mockResponse()).contains("hello world!");
        assertThat(deployment.apiKey()).map(Secret::reveal).contains("my-good-key");
        assertThat(deployment.id()).isEqualTo("gpt-3.5-turbo-fake-model-0");
        assertThat(config.litellm().requestTimeout()).contains(Duration.ofSeconds(600));
        assertThat(config.router().redisHost()).contains("redis.local");
        assertThat(config.router().redisPassword()).map(Secret::reveal).contains("hunter2");
        assertThat(config.router().redisPort()).isEqualTo(OptionalInt.of(6379));
        assertThat(config.router().backend()).isEqualTo(Backend.REDIS);
        assertThat(config.backend()).isEqualTo(Backend.REDIS);
        assertThat(config.redis()).contains(new RedisSettings(List.of(URI.create("redis://redis.local:6379")), false,
                Optional.empty(), Optional.of(Secret.of("hunter2")), RedisSettings.DEFAULT_KEY_PREFIX));
        assertThat(config.router().queueTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void runsTheSeedConfigInRedisModeOnTheServerItsEnvironmentNames() {
        TriageConfig config = ConfigLoader.load(EXAMPLES.resolve("litellm-seed-config.yaml"),
                Map.of("REDIS_HOST", "10.1.2.3", "REDIS_PASSWORD", "hunter2", "REDIS_PORT", "6380"));

        assertThat(config.redis().orElseThrow().endpoints()).containsExactly(URI.create("redis://10.1.2.3:6380"));
        assertThat(config.describe()).contains("  backend: REDIS\n", "  endpoints: redis://10.1.2.3:6380\n",
                "  password: ****\n").doesNotContain("hunter2");
    }

    @Test
    void rejectsTheSeedConfigAsPublishedPointingAtItsFirstTypo() throws IOException {
        String mended = Files.readString(EXAMPLES.resolve("litellm-seed-config.yaml"));
        String published = mended
                .replace("        mock_response: \"hello world!\"", "        mock_response:\"hello world!\"")
                .replace("    redis_host: os.environ", "    redis_host; os.environ");
        int typoLine = lineNumberOf(published, "        mock_response:\"");

        assertThatThrownBy(() -> ConfigLoader.parse(published, "config.yaml", REDIS_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: " + (typoLine + 1) + ":9: expected valid YAML, found could not find "
                        + "expected ':' (while scanning a simple key at " + typoLine + ":9)");
    }

    @Test
    void loadsTheMockConfig() {
        TriageConfig config = ConfigLoader.load(EXAMPLES.resolve("mock-config.yaml"), Map.of());

        assertThat(config.groups()).extracting(ModelGroupSettings::name).containsExactly("gpt-4o-mini", "claude-mock");
        assertThat(config.group("gpt-4o-mini").orElseThrow().deployments())
                .hasSize(2)
                .allSatisfy(deployment -> {
                    assertThat(deployment.isMock()).isTrue();
                    assertThat(deployment.rpm()).isEqualTo(OptionalLong.of(600));
                    assertThat(deployment.maxParallelRequests()).isEqualTo(OptionalInt.of(4));
                })
                .extracting(DeploymentSettings::id)
                .doesNotHaveDuplicates();
        assertThat(config.group("claude-mock").orElseThrow().deployments()).hasSize(1);
        assertThat(config.router().timeout()).contains(Duration.ofSeconds(30));
        assertThat(config.router().defaultPriority()).isZero();
        assertThat(config.router().pollingInterval()).isEqualTo(Duration.ofMillis(30));
        assertThat(config.router().backend()).isEqualTo(Backend.EMBEDDED);
        assertThat(config.redis()).isEmpty();
        assertThat(config.general().masterKey()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    private static int lineNumberOf(String text, String needle) {
        return 1 + (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count();
    }
}
