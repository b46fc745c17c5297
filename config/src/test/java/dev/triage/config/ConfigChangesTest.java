package dev.triage.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a reload says it changed, and which of it waits for a restart. */
class ConfigChangesTest {

    private static final String BEFORE = """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_key: sk-old, max_parallel_requests: 1, rpm: 600}
                model_info: {id: east}
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "http://west/v1"}
                model_info: {id: west}
              - model_name: old-group
                litellm_params: {model: openai/m, mock_response: hi}
            router_settings:
              timeout: 30
              polling_interval: 0.03
            cluster:
              port: 5701
            """;

    private static final String ONE_GROUP = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, mock_response: hi}
            """;

    private static TriageConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "config.yaml", Map.of());
    }

    @Test
    void theSameFileChangesNothing() {
        assertThat(ConfigChanges.between(parse(BEFORE), parse(BEFORE)).isEmpty()).isTrue();
    }

    @Test
    void namesEachChangedSettingInTheFilesWordsAndHidesSecrets() {
        TriageConfig after = parse("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o, api_key: sk-new, max_parallel_requests: 4, rpm: 600}
                    model_info: {id: east}
                  - model_name: new-group
                    litellm_params: {model: openai/m, mock_response: hi}
                router_settings:
                  timeout: 10
                  polling_interval: 0.05
                general_settings:
                  max_request_size_mb: 8
                cluster:
                  port: 5801
                """);

        ConfigChanges changes = ConfigChanges.between(parse(BEFORE), after);

        assertThat(changes.live()).containsExactly(
                "model group gpt-4o: deployment east: api_key changed",
                "model group gpt-4o: deployment east: max_parallel_requests 1 -> 4",
                "model group gpt-4o: deployment west removed",
                "model group new-group added, 1 deployment",
                "model group old-group removed",
                "router_settings.timeout 30s -> 10s",
                "router_settings.queue timeout 30s -> 10s");
        assertThat(changes.atRestart()).containsExactly(
                "router_settings.polling_interval 0.03s -> 0.05s",
                "general_settings.max_request_size_mb 32 -> 8",
                "cluster.port 5701 -> 5801");
        assertThat(String.join("\n", changes.live())).doesNotContain("sk-old", "sk-new");
    }

    @Test
    void changesToRedisSettingsWaitForARestartAndHideTheUrlsPassword() {
        TriageConfig before = parse(ONE_GROUP + """
                router_settings:
                  redis_url: redis://:old-secret@redis-a:6379
                  redis_username: triage
                """);
        TriageConfig after = parse(ONE_GROUP + """
                router_settings:
                  redis_url: redis://:new-secret@redis-b:6379
                  redis_username: triage-2
                redis:
                  key_prefix: eu
                """);

        ConfigChanges changes = ConfigChanges.between(before, after);

        assertThat(changes.live()).isEmpty();
        assertThat(changes.atRestart()).containsExactly(
                "router_settings.redis_username triage -> triage-2",
                "router_settings.redis_url redis://****@redis-a:6379 -> redis://****@redis-b:6379",
                "redis.key_prefix default -> eu");
        assertThat(String.join("\n", changes.atRestart())).doesNotContain("old-secret", "new-secret");
    }

    @Test
    void namesChangedClusterNodesAtRestart() {
        TriageConfig before = parse(ONE_GROUP + "redis:\n  cluster_nodes: [a:7000]\n");
        TriageConfig after = parse(ONE_GROUP + "redis:\n  cluster_nodes: [a:7000, b:7000]\n");

        assertThat(ConfigChanges.between(before, after).atRestart()).containsExactly(
                "redis.cluster_nodes [redis://a:7000] -> [redis://a:7000, redis://b:7000]");
        assertThat(ConfigChanges.between(before, parse(ONE_GROUP)).atRestart()).containsExactly(
                "redis.key_prefix default -> unset", "redis.cluster_nodes [redis://a:7000] -> unset");
    }
}
