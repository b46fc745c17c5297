package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What Redis mode is given: from router_settings' Redis keys and Triage's redis section. */
class RedisSettingsTest {
    private static final String ONE_DEPLOYMENT = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: gpt-4o
            """;

    private static RedisSettings redis(String sections) {
        return redis(sections, Map.of());
    }

    private static RedisSettings redis(String sections, Map<String, String> env) {
        TriageConfig config = ConfigLoader.parse(ONE_DEPLOYMENT + sections, "config.yaml", env);
        assertThat(config.backend()).isEqualTo(Backend.REDIS);
        return config.redis().orElseThrow();
    }

    private static List<URI> uris(String... texts) {
        return Arrays.stream(texts).map(URI::create).toList();
    }

    @Test
    void hasNoRedisSettingsUnlessRedisModeIsAskedFor() {
        TriageConfig embedded = ConfigLoader.parse(ONE_DEPLOYMENT + """
                router_settings:
                  redis_port: 6380
                  redis_password: secret
                  redis_username: alice
                """, "config.yaml", Map.of());

        assertThat(embedded.redis()).isEmpty();
        assertThat(embedded.backend()).isEqualTo(Backend.EMBEDDED);
        assertThat(embedded.router().redisUsername()).contains("alice");
    }

    @Test
    void makesAnEndpointOfRedisHostAndRedisPortWithTheDefaults() {
        RedisSettings redis = redis("router_settings:\n  redis_host: redis.internal\n");

        assertThat(redis).isEqualTo(new RedisSettings(uris("redis://redis.internal:6379"), false,
                Optional.empty(), Optional.empty(), RedisSettings.DEFAULT_KEY_PREFIX));
        assertThat(redis.keyPrefix()).isEqualTo("default");
        assertThat(redis("router_settings:\n  redis_host: 10.0.0.9\n  redis_port: 6380\n").endpoints())
                .isEqualTo(uris("redis://10.0.0.9:6380"));
        assertThat(redis("router_settings:\n  redis_host: \"::1\"\n").endpoints())
                .isEqualTo(uris("redis://[::1]:6379"));
    }

    @Test
    void readsTheUsernameAndPasswordOfRouterSettings() {
        RedisSettings redis = redis("""
                router_settings:
                  redis_host: redis.internal
                  redis_username: os.environ/REDIS_USERNAME
                  redis_password: os.environ/REDIS_PASSWORD
                """, Map.of("REDIS_USERNAME", "triage", "REDIS_PASSWORD", "hunter2"));

        assertThat(redis.username()).contains("triage");
        assertThat(redis.password()).map(Secret::reveal).contains("hunter2");
    }

    @Test
    void takesTheSchemeHostPortAndCredentialsOfRedisUrlAndLeavesTheCredentialsOutOfTheEndpoint() {
        RedisSettings redis =
                redis("router_settings:\n  redis_url: rediss://triage:s3cr%40t@redis.example.com:6380/0\n");

        assertThat(redis.endpoints()).isEqualTo(uris("rediss://redis.example.com:6380"));
        assertThat(redis.cluster()).isFalse();
        assertThat(redis.username()).contains("triage");
        assertThat(redis.password()).map(Secret::reveal).contains("s3cr@t");
    }

    @Test
    void readsAPasswordWithoutAUserAndTheDefaultPortFromRedisUrl() {
        RedisSettings redis = redis("router_settings:\n  redis_url: redis://:hunter2@redis.internal\n");

        assertThat(redis.endpoints()).isEqualTo(uris("redis://redis.internal:6379"));
        assertThat(redis.username()).isEmpty();
        assertThat(redis.password()).map(Secret::reveal).contains("hunter2");
        assertThat(redis("router_settings:\n  redis_url: REDIS://redis.internal/\n").endpoints())
                .isEqualTo(uris("redis://redis.internal:6379"));
    }

    @Test
    void letsRedisUsernameAndRedisPasswordWinOverTheUrlsUserInfo() {
        RedisSettings redis = redis("""
                router_settings:
                  redis_url: redis://url-user:url-pass@redis.internal:6379
                  redis_username: key-user
                  redis_password: key-pass
                """);

        assertThat(redis.username()).contains("key-user");
        assertThat(redis.password()).map(Secret::reveal).contains("key-pass");
    }

    @Test
    void usesRedisUrlRatherThanRedisHostWhenBothAreGivenAsLiteLlmDoes() {
        RedisSettings redis = redis("""
                router_settings:
                  redis_host: ignored.internal
                  redis_port: 7000
                  redis_url: redis://redis.internal:6380
                """);

        assertThat(redis.endpoints()).isEqualTo(uris("redis://redis.internal:6380"));
    }

    @Test
    void readsTheKeyPrefix() {
        RedisSettings redis = redis("router_settings:\n  redis_host: r\nredis:\n  key_prefix: fleet-eu_1.prod\n");

        assertThat(redis.keyPrefix()).isEqualTo("fleet-eu_1.prod");
    }

    @Test
    void readsClusterNodesAsSeedsInRedisModeWithTheCredentialsOfRouterSettings() {
        RedisSettings redis = redis("""
                router_settings:
                  redis_username: triage
                  redis_password: hunter2
                redis:
                  key_prefix: eu
                  cluster_nodes:
                    - 10.0.0.1:7000
                    - redis://10.0.0.2:7001
                    - "[::1]:7002"
                    - os.environ/THIRD_SEED
                """, Map.of("THIRD_SEED", "redis://node-d"));

        assertThat(redis).isEqualTo(new RedisSettings(
                uris("redis://10.0.0.1:7000", "redis://10.0.0.2:7001", "redis://[::1]:7002", "redis://node-d:6379"),
                true, Optional.of("triage"), Optional.of(Secret.of("hunter2")), "eu"));
    }

    @Test
    void readsTlsSeeds() {
        RedisSettings redis =
                redis("redis:\n  cluster_nodes: [\"rediss://a.example.com:7000\", \"REDISS://b:7000/\"]\n");

        assertThat(redis.endpoints()).isEqualTo(uris("rediss://a.example.com:7000", "rediss://b:7000"));
        assertThat(redis.cluster()).isTrue();
    }

    @Test
    void warnsAboutAKeyPrefixWhenNoRedisServerIsSet() {
        TriageConfig config =
                ConfigLoader.parse(ONE_DEPLOYMENT + "redis:\n  key_prefix: eu\n", "config.yaml", Map.of());

        assertThat(config.redis()).isEmpty();
        assertThat(config.warnings()).containsExactly("config.yaml: redis.key_prefix: ignored, as no Redis server is"
                + " set (router_settings.redis_host or redis_url, or redis.cluster_nodes): the embedded backend runs");
        assertThat(config.ignoredKeys()).isZero();
    }

    @Test
    void refusesKeyPrefixesThatWouldBreakTheHashTag() {
        for (String prefix : List.of("a{b", "a}b", "a:b", "a b", "", "é")) {
            assertThat(RedisSettings.isKeyPrefix(prefix)).as(prefix).isFalse();
        }
        assertThat(RedisSettings.isKeyPrefix("Fleet-1_eu.prod")).isTrue();
        assertThatThrownBy(() -> new RedisSettings(uris("redis://r:6379"), false, Optional.empty(), Optional.empty(),
                "a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsCredentialsOutOfEndpoints() {
        assertThatThrownBy(() -> new RedisSettings(uris("redis://:pw@r:6379"), false, Optional.empty(),
                Optional.empty(), "default")).isInstanceOf(IllegalArgumentException.class);
        assertThat(redis("router_settings:\n  redis_url: redis://u:secret-pw@r:6379\n").toString())
                .doesNotContain("secret-pw");
    }
}
