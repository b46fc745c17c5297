package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DescribeTest {
    private static final String CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk-upstream-secret
                  api_base: https://user:basic-secret@llm.example.com/v1
                  rpm: 600
                  timeout: 0.25
            router_settings:
              redis_host: redis.internal
              redis_password: os.environ/REDIS_PASSWORD
              redis_url: redis://:url-secret@redis.internal:6379
              polling_interval: 0.03
            general_settings:
              master_key: sk-master-secret
              unknown_setting: 1
            """;

    private final TriageConfig config =
            ConfigLoader.parse(CONFIG, "config.yaml", Map.of("REDIS_PASSWORD", "redis-env-secret"));

    @Test
    void masksTheMasterKeyApiKeysAndRedisPasswords() {
        String description = config.describe();

        assertThat(description)
                .doesNotContain(
                        "sk-upstream-secret", "basic-secret", "redis-env-secret", "url-secret", "sk-master-secret")
                .contains("api_key: ****", "master_key: ****", "redis_password: ****")
                .contains("api_base: https://****@llm.example.com/v1", "redis_url: redis://****@redis.internal:6379");
    }

    @Test
    void rendersTheResolvedSettingsAndWarnings() {
        String description = config.describe();

        assertThat(description)
                .contains("source: config.yaml", "  gpt-4o:\n    - id: gpt-4o-0\n      model: openai/gpt-4o\n")
                .contains("rpm: 600", "timeout: 0.25s", "polling_interval: 0.03s")
                .contains("queue timeout: 600s (router_settings.timeout and litellm_settings.request_timeout unset: "
                        + "the default)")
                .contains("require_auth_for_metrics_endpoint: false", "drain_timeout: 30s")
                .contains("routing_strategy: simple-shuffle", "num_retries: 2")
                .contains("max_request_size_mb: 32 MiB", "max_waiting_body_mb: 256 MiB")
                .contains("  - config.yaml: general_settings.unknown_setting: not used by Triage, ignored");
    }

    @Test
    void showsTheRedisBackendAndTheServerItUsesWithoutAWarning() {
        String description = config.describe();

        assertThat(description)
                .contains("  backend: REDIS\n")
                .contains("""
                        redis:
                          endpoints: redis://redis.internal:6379
                          redis_cluster: false
                          username: unset (the default user)
                          password: ****
                          key_prefix: default
                        warnings:
                        """)
                .doesNotContain("not available");
    }

    @Test
    void showsRedisClusterSeedsTheUserAndTheKeyPrefix() {
        String description = ConfigLoader.parse("""
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                router_settings:
                  redis_username: triage
                redis:
                  key_prefix: fleet-eu
                  cluster_nodes: ["rediss://10.0.0.1:7000", "rediss://10.0.0.2:7000"]
                """, "config.yaml", Map.of()).describe();

        assertThat(description).contains("""
                  backend: REDIS
                """, """
                redis:
                  endpoints: rediss://10.0.0.1:7000, rediss://10.0.0.2:7000
                  redis_cluster: true
                  username: triage
                  password: unset
                  key_prefix: fleet-eu
                warnings: none
                """);
    }

    @Test
    void showsTheEmbeddedBackendWithoutARedisSection() {
        String description = ConfigLoader.parse("""
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                """, "config.yaml", Map.of()).describe();

        assertThat(description)
                .contains("""
                          polling_interval: 0.03s
                          backend: EMBEDDED
                          redis_host: unset
                          redis_port: unset
                          redis_password: unset
                          redis_url: unset
                          allowed_fails: 3
                        """)
                .doesNotContain("redis:", "redis_username", "REDIS");
    }

    @Test
    void showsABodyLimitThatIsNoWholeNumberOfMebibytesInBytes() {
        TriageConfig sized = ConfigLoader.parse("""
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                general_settings:
                  max_request_size_mb: 0.001
                """, "config.yaml", Map.of());

        assertThat(sized.describe())
                .contains("max_request_size_mb: 1048 bytes", "max_waiting_body_mb: 256 MiB", "warnings: none")
                .contains("api_base: https://api.openai.com/v1");
    }

    @Test
    void keepsSecretsOutOfRecordToStrings() {
        assertThat(config.toString())
                .doesNotContain("sk-upstream-secret", "redis-env-secret", "url-secret", "sk-master-secret");
        assertThat(Secret.of("abc")).hasToString("****");
        assertThat(Secret.of("abc").reveal()).isEqualTo("abc");
    }

    @Test
    void saysWhichSettingTheQueueTimeoutCameFrom() {
        String fromRequestTimeout = ConfigLoader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: gpt-4o}
                litellm_settings:
                  request_timeout: 45
                """, "config.yaml", Map.of()).describe();
        String fromTimeout = ConfigLoader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: gpt-4o}
                litellm_settings:
                  request_timeout: 45
                router_settings:
                  timeout: 20
                """, "config.yaml", Map.of()).describe();

        assertThat(fromRequestTimeout)
                .contains("queue timeout: 45s (router_settings.timeout unset: litellm_settings.request_timeout)");
        assertThat(fromTimeout).contains("queue timeout: 20s (router_settings.timeout)");
    }
}
