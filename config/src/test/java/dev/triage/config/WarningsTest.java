package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WarningsTest {
    @Test
    void warnsOnceForEachLiteLlmKeyTriageDoesNotUse() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: gpt-4o
                      api_version: "2024-02-01"
                      stream_timeout: 10
                    tpm_limit_note: none
                litellm_settings:
                  drop_params: true
                  set_verbose: false
                router_settings:
                  enable_pre_call_checks: true
                general_settings:
                  database_url: postgres://db
                environment_variables:
                  FOO: bar
                """, "config.yaml", Map.of());

        assertThat(config.warnings()).containsExactly(
                "config.yaml: environment_variables: not used by Triage, ignored",
                "config.yaml: model_list[0].tpm_limit_note: not used by Triage, ignored",
                "config.yaml: model_list[0].litellm_params.api_version: not used by Triage, ignored",
                "config.yaml: model_list[0].litellm_params.stream_timeout: not used by Triage, ignored",
                "config.yaml: litellm_settings.drop_params: not used by Triage, ignored",
                "config.yaml: litellm_settings.set_verbose: not used by Triage, ignored",
                "config.yaml: router_settings.enable_pre_call_checks: not used by Triage, ignored",
                "config.yaml: general_settings.database_url: not used by Triage, ignored");
    }

    @Test
    void aTypoOfAKnownKeyGetsTheKeyItMostLikelyMeant() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: gpt-4o
                      rmp: 5
                      max_paralel_requests: 2
                      timout: 2
                litellm_settings:
                  num_retires: 1
                router_settings:
                  defualt_priority: 3
                """, "config.yaml", Map.of());

        assertThat(config.warnings()).containsExactly(
                "config.yaml: model_list[0].litellm_params.rmp: not used by Triage, ignored; did you mean rpm?",
                "config.yaml: model_list[0].litellm_params.max_paralel_requests: not used by Triage, ignored; "
                        + "did you mean max_parallel_requests?",
                "config.yaml: model_list[0].litellm_params.timout: not used by Triage, ignored; did you mean timeout?",
                "config.yaml: litellm_settings.num_retires: not used by Triage, ignored; did you mean num_retries?",
                "config.yaml: router_settings.defualt_priority: not used by Triage, ignored; "
                        + "did you mean default_priority?");
        assertThat(config.ignoredKeys()).isEqualTo(5);
        assertThat(config.group("gpt-4o").orElseThrow().deployments().get(0).rpm()).isEmpty();
    }

    @Test
    void anUnrelatedLiteLlmKeyGetsNoSuggestion() {
        assertThat(NearestKey.to("api_version", java.util.List.of("api_base", "api_key", "model", "rpm", "tpm")))
                .isEmpty();
        assertThat(NearestKey.to("tpm_limit_note", java.util.List.of("model_name", "litellm_params", "model_info")))
                .isEmpty();
        assertThat(NearestKey.to("id", java.util.List.of("rpm", "tpm"))).isEmpty();
    }

    @Test
    void leavesOutADeploymentOfAnUnsupportedProviderWithOneWarning() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: claude
                    litellm_params:
                      model: bedrock/anthropic.claude-v2
                  - model_name: claude
                    litellm_params:
                      model: openai/claude-proxy
                      api_base: http://proxy:8080
                """, "config.yaml", Map.of());

        assertThat(config.group("claude").orElseThrow().deployments())
                .extracting(DeploymentSettings::model)
                .containsExactly("openai/claude-proxy");
        assertThat(config.warnings()).containsExactly("config.yaml: model_list[0].litellm_params.model: "
                + "provider \"bedrock\" is not supported by Triage yet, deployment left out of model group \"claude\"");
    }

    @Test
    void keepsAMockDeploymentOfAnyProvider() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: claude
                    litellm_params:
                      model: bedrock/anthropic.claude-v2
                      mock_response: pretend
                """, "config.yaml", Map.of());

        assertThat(config.group("claude").orElseThrow().deployments()).hasSize(1);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void callsModelsWithoutPrefixOrWithAnOpenAiCompatiblePrefix() {
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-3.5-turbo}}
                  - {model_name: a, litellm_params: {model: openai/gpt-4o}}
                  - {model_name: a, litellm_params: {model: custom_openai/any, api_base: "http://proxy:8080"}}
                  - {model_name: a, litellm_params: {model: hosted_vllm/llama-3, api_base: "http://vllm:8000/v1"}}
                """, "config.yaml", Map.of());

        assertThat(config.group("a").orElseThrow().deployments()).hasSize(4);
        assertThat(config.warnings()).isEmpty();
    }
}
