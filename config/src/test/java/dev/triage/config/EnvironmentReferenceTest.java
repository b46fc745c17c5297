package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EnvironmentReferenceTest {
    private static final String CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: os.environ/MODEL
                  api_base: os.environ/API_BASE
                  api_key: os.environ/API_KEY
                  rpm: os.environ/RPM
                  timeout: os.environ/TIMEOUT
            router_settings:
              redis_host: os.environ/REDIS_HOST
              redis_port: os.environ/REDIS_PORT
              default_priority: os.environ/PRIORITY
            general_settings:
              master_key: os.environ/MASTER_KEY
              cancel_on_disconnect: os.environ/CANCEL
            """;
    private static final Map<String, String> ENV = Map.of(
            "MODEL", "openai/gpt-4o",
            "API_BASE", "https://llm.internal/v1",
            "API_KEY", "sk-from-env",
            "RPM", "120",
            "TIMEOUT", "2.5",
            "REDIS_HOST", "redis.internal",
            "REDIS_PORT", " 6379 ",
            "PRIORITY", "-7",
            "MASTER_KEY", "sk-master-from-env",
            "CANCEL", "FALSE");

    @Test
    void resolvesEveryStringWrittenAsAnEnvironmentReference() {
        TriageConfig config = ConfigLoader.parse(CONFIG, "config.yaml", ENV);
        DeploymentSettings deployment = config.groups().get(0).deployments().get(0);

        assertThat(deployment.model()).isEqualTo("openai/gpt-4o");
        assertThat(deployment.apiBase()).contains(URI.create("https://llm.internal/v1"));
        assertThat(deployment.apiKey()).map(Secret::reveal).contains("sk-from-env");
        assertThat(config.router().redisHost()).contains("redis.internal");
        assertThat(config.general().masterKey()).map(Secret::reveal).contains("sk-master-from-env");
    }

    @Test
    void coercesEnvironmentTextToNumbersAndBooleansWhereTheyAreExpected() {
        TriageConfig config = ConfigLoader.parse(CONFIG, "config.yaml", ENV);
        DeploymentSettings deployment = config.groups().get(0).deployments().get(0);

        assertThat(deployment.rpm()).isEqualTo(OptionalLong.of(120));
        assertThat(deployment.timeout()).contains(Duration.ofMillis(2500));
        assertThat(config.router().redisPort()).isEqualTo(OptionalInt.of(6379));
        assertThat(config.router().defaultPriority()).isEqualTo(-7);
        assertThat(config.general().cancelOnDisconnect()).isFalse();
    }

    @Test
    void readsARedisUrlFromTheEnvironmentAndNamesTheVariableWhenItIsRefusedWithoutItsPassword() {
        String config = """
                model_list:
                  - {model_name: m, litellm_params: {model: gpt-4o}}
                router_settings:
                  redis_url: os.environ/REDIS_URL
                """;

        RedisSettings redis = ConfigLoader.parse(config, "config.yaml",
                Map.of("REDIS_URL", "rediss://triage:pw@redis.example.com")).redis().orElseThrow();

        assertThat(redis.endpoints()).containsExactly(URI.create("rediss://redis.example.com:6379"));
        assertThat(redis.username()).contains("triage");
        assertThat(redis.password()).map(Secret::reveal).contains("pw");
        assertThatThrownBy(() -> ConfigLoader.parse(config, "config.yaml",
                        Map.of("REDIS_URL", "redis://:pw@redis.example.com/1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: router_settings.redis_url: expected a redis:// or rediss:// URL of database"
                        + " 0 or of none, as Triage keeps its keys in one keyspace (Redis Cluster has only database 0),"
                        + " found \"redis://****@redis.example.com/1\" (from os.environ/REDIS_URL)");
    }

    @Test
    void namesAMissingVariableAndWhereItIsUsed() {
        Map<String, String> withoutRedisHost = new HashMap<>(ENV);
        withoutRedisHost.remove("REDIS_HOST");

        assertThatThrownBy(() -> ConfigLoader.parse(CONFIG, "config.yaml", withoutRedisHost))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: router_settings.redis_host: "
                        + "expected environment variable REDIS_HOST to be set, found it unset");
    }

    @Test
    void rejectsEnvironmentTextThatIsNoNumberNamingTheVariable() {
        Map<String, String> badPort = new HashMap<>(ENV);
        badPort.put("REDIS_PORT", "six");

        assertThatThrownBy(() -> ConfigLoader.parse(CONFIG, "config.yaml", badPort))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.yaml: router_settings.redis_port: "
                        + "expected a port from 1 to 65535, found \"six\" (from os.environ/REDIS_PORT)");
    }

    @Test
    void doesNotResolveReferencesInKeysTriageIgnores() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: gpt-4o
                      api_version: os.environ/UNSET_VARIABLE
                """, "config.yaml", Map.of());

        assertThat(config.warnings())
                .containsExactly("config.yaml: model_list[0].litellm_params.api_version: not used by Triage, ignored");
    }
}
