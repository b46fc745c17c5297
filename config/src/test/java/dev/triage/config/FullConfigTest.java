package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FullConfigTest {
    private static final String EVERY_KEY = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_base: https://api.example.com/v1
                  api_key: sk-upstream-one
                  rpm: 600
                  tpm: 90000
                  max_parallel_requests: 8
                  timeout: 45.5
                  weight: 3
                  order: 2
                model_info:
                  id: gpt-4o-east
                  region: us-east
                  tags: [fast, cheap]
              - model_name: gpt-4o
                litellm_params:
                  model: hosted_vllm/llama
                  api_base: http://vllm:8000
                  rpm: 10000000000
              - model_name: mock
                litellm_params:
                  model: gpt-3.5-turbo
                  mock_response: "hi there"
            litellm_settings:
              request_timeout: 120
              num_retries: 4
              require_auth_for_metrics_endpoint: true
            router_settings:
              routing_strategy: usage-based-routing-v2
              timeout: 30
              polling_interval: 0.03
              redis_host: redis.internal
              redis_port: 6380
              redis_password: redis-secret
              redis_username: triage-node
              redis_url: rediss://:url-secret@redis.internal:6380/0
              allowed_fails: 5
              cooldown_time: 12.5
              default_priority: -9223372036854775808
              max_queue_size: 2000
            general_settings:
              master_key: sk-master
              cancel_on_disconnect: false
              max_request_size_mb: 8
              max_waiting_body_mb: 64.5
              drain_timeout: 7.5
            cluster:
              name: prod
              port: 5801
              host: 10.0.0.7
              lease_bound: 20
              min_members: 2
              members:
                - node-a:5801
                - 10.0.0.2:5801
                - "[::1]:5801"
            redis:
              key_prefix: prod-eu
            """;

    private final TriageConfig config = ConfigLoader.parse(EVERY_KEY, "config.yaml", Map.of());

    @Test
    void readsEveryDeploymentKeyIntoItsTypedValue() {
        DeploymentSettings east = config.group("gpt-4o").orElseThrow().deployments().get(0);

        assertThat(east.id()).isEqualTo("gpt-4o-east");
        assertThat(east.modelName()).isEqualTo("gpt-4o");
        assertThat(east.model()).isEqualTo("openai/gpt-4o");
        assertThat(east.apiBase()).contains(URI.create("https://api.example.com/v1"));
        assertThat(east.apiKey()).map(Secret::reveal).contains("sk-upstream-one");
        assertThat(east.rpm()).isEqualTo(OptionalLong.of(600));
        assertThat(east.tpm()).isEqualTo(OptionalLong.of(90_000));
        assertThat(east.maxParallelRequests()).isEqualTo(OptionalInt.of(8));
        assertThat(east.mockResponse()).isEmpty();
        assertThat(east.timeout()).contains(Duration.ofMillis(45_500));
        assertThat(east.weight()).isEqualTo(3);
        assertThat(east.order()).isEqualTo(2);
        assertThat(east.modelInfo())
                .containsExactly(
                        Map.entry("id", "gpt-4o-east"),
                        Map.entry("region", "us-east"),
                        Map.entry("tags", List.of("fast", "cheap")));
        assertThat(east.isMock()).isFalse();
    }

    @Test
    void fillsDeploymentDefaultsAndGeneratesIdsFromNameAndIndex() {
        DeploymentSettings vllm = config.group("gpt-4o").orElseThrow().deployments().get(1);
        DeploymentSettings mock = config.group("mock").orElseThrow().deployments().get(0);

        assertThat(vllm.id()).isEqualTo("gpt-4o-1");
        assertThat(vllm.rpm()).isEqualTo(OptionalLong.of(10_000_000_000L));
        assertThat(vllm.apiKey()).isEmpty();
        assertThat(vllm.tpm()).isEmpty();
        assertThat(vllm.maxParallelRequests()).isEmpty();
        assertThat(vllm.timeout()).isEmpty();
        assertThat(vllm.weight()).isEqualTo(1);
        assertThat(vllm.order()).isEqualTo(DeploymentSettings.UNORDERED);
        assertThat(vllm.modelInfo()).isEmpty();
        assertThat(mock.id()).isEqualTo("mock-2");
        assertThat(mock.mockResponse()).contains("hi there");
        assertThat(mock.isMock()).isTrue();
    }

    @Test
    void groupsDeploymentsByModelNameInFileOrder() {
        assertThat(config.groups()).extracting(ModelGroupSettings::name).containsExactly("gpt-4o", "mock");
        assertThat(config.group("gpt-4o").orElseThrow().deployments())
                .extracting(DeploymentSettings::id)
                .containsExactly("gpt-4o-east", "gpt-4o-1");
        assertThat(config.group("absent")).isEmpty();
    }

    @Test
    void readsLitellmSettings() {
        assertThat(config.litellm()).isEqualTo(new LitellmSettings(Optional.of(Duration.ofSeconds(120)), 4, true));
    }

    @Test
    void readsEveryRouterSetting() {
        RouterSettings router = config.router();

        assertThat(router.routingStrategy()).isEqualTo(RoutingStrategyName.USAGE_BASED_ROUTING);
        assertThat(router.timeout()).contains(Duration.ofSeconds(30));
        assertThat(router.pollingInterval()).isEqualTo(Duration.ofMillis(30));
        assertThat(router.redisHost()).contains("redis.internal");
        assertThat(router.redisPort()).isEqualTo(OptionalInt.of(6380));
        assertThat(router.redisPassword()).map(Secret::reveal).contains("redis-secret");
        assertThat(router.redisUsername()).contains("triage-node");
        assertThat(router.redisUrl()).contains(URI.create("rediss://:url-secret@redis.internal:6380/0"));
        assertThat(router.allowedFails()).isEqualTo(5);
        assertThat(router.cooldownTime()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(router.defaultPriority()).isEqualTo(Long.MIN_VALUE);
        assertThat(router.maxQueueSize()).isEqualTo(2000);
        assertThat(router.queueTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(router.backend()).isEqualTo(Backend.REDIS);
    }

    @Test
    void readsTheRedisSettingsWithRedisUrlBeforeRedisHostAndRedisPasswordBeforeTheUrlsPassword() {
        assertThat(config.backend()).isEqualTo(Backend.REDIS);
        assertThat(config.redis()).contains(new RedisSettings(List.of(URI.create("rediss://redis.internal:6380")),
                false, Optional.of("triage-node"), Optional.of(Secret.of("redis-secret")), "prod-eu"));
    }

    @Test
    void readsGeneralSettings() {
        assertThat(config.general().masterKey()).map(Secret::reveal).contains("sk-master");
        assertThat(config.general().cancelOnDisconnect()).isFalse();
        assertThat(config.general().maxRequestBodyBytes()).isEqualTo(8L << 20);
        assertThat(config.general().maxWaitingBodyBytes()).isEqualTo((64L << 20) + (1L << 19));
        assertThat(config.general().drainTimeout()).isEqualTo(Duration.ofMillis(7_500));
    }

    @Test
    void readsEveryClusterSetting() {
        ClusterSettings cluster = config.cluster();

        assertThat(cluster.name()).isEqualTo("prod");
        assertThat(cluster.port()).isEqualTo(5801);
        assertThat(cluster.members()).containsExactly("node-a:5801", "10.0.0.2:5801", "[::1]:5801");
        assertThat(cluster.kubernetes()).isEmpty();
        assertThat(cluster.leaseBound()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cluster.minMembers()).isEqualTo(OptionalInt.of(2));
        assertThat(cluster.host()).contains("10.0.0.7");
        assertThat(cluster.bindAddress()).isEqualTo("10.0.0.7");
    }

    @Test
    void readsKubernetesDiscovery() {
        TriageConfig withKubernetes = ConfigLoader.parse("""
                model_list:
                  - model_name: m
                    litellm_params: {model: gpt-4o}
                cluster:
                  kubernetes:
                    service_dns: triage-headless.default.svc.cluster.local
                    service_port: 5701
                """, "config.yaml", Map.of());

        assertThat(withKubernetes.cluster().kubernetes())
                .contains(new KubernetesDiscovery("triage-headless.default.svc.cluster.local", OptionalInt.of(5701)));
    }

    @Test
    void loadsAConfigWithEveryKeyWithoutWarnings() {
        assertThat(config.source()).isEqualTo("config.yaml");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void keepsModelInfoUnmodifiable() {
        Map<String, Object> info = config.groups().get(0).deployments().get(0).modelInfo();

        assertThatThrownBy(() -> info.put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) info.get("tags");
        assertThatThrownBy(() -> tags.add("slow"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
