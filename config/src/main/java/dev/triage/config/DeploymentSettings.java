package dev.triage.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry of {@code model_list}: an upstream deployment of a model group.
 *
 * @param id {@code model_info.id} when given, else {@code <model_name>-<index in model_list>}
 * @param modelName the group the deployment serves ({@code model_name})
 * @param model {@code litellm_params.model}, e.g. {@code openai/gpt-4o} or {@code gpt-3.5-turbo}
 * @param apiBase as written, else {@code https://api.openai.com/v1} for a model without a prefix or with
 *     {@code openai/}, as LiteLLM; empty only for a mock or a provider Triage leaves out
 * @param order lower is tried first; {@link #UNORDERED} when absent, so that, as in LiteLLM,
 *     a deployment without an order is used only while no deployment with one is healthy
 * @param modelInfo {@code model_info} as written, unmodifiable
 */
public record DeploymentSettings(
        String id,
        String modelName,
        String model,
        Optional<URI> apiBase,
        Optional<Secret> apiKey,
        OptionalLong rpm,
        OptionalLong tpm,
        OptionalInt maxParallelRequests,
        Optional<String> mockResponse,
        Optional<Duration> timeout,
        int weight,
        int order,
        Map<String, Object> modelInfo) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int UNORDERED = Integer.MAX_VALUE;

    public DeploymentSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(tpm, "tpm");
        Objects.requireNonNull(maxParallelRequests, "maxParallelRequests");
        Objects.requireNonNull(mockResponse, "mockResponse");
        Objects.requireNonNull(timeout, "timeout");
        modelInfo = FrozenYaml.freeze(Objects.requireNonNull(modelInfo, "modelInfo"));
    }

    /** A mock deployment answers with {@link #mockResponse()} and is never called upstream. */
    public boolean isMock() {
        return mockResponse.isPresent();
    }
}
