package dev.triage.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which {@code litellm_params.model} values Triage can call. Triage forwards requests as they
 * are, so it calls only APIs that speak OpenAI's protocol: a model without a provider prefix
 * (LiteLLM reads {@code gpt-3.5-turbo} as OpenAI) or one of the prefixes below. Any deployment
 * with a {@code mock_response} is callable too, whatever its model, as it is never called.
 */
final class Providers {
    static final List<String> OPENAI_COMPATIBLE_PREFIXES = List.of("openai", "custom_openai", "hosted_vllm");
    /** Where LiteLLM sends a model without a prefix or with {@code openai/} when no api_base is given. */
    static final URI OPENAI_API_BASE = URI.create("https://api.openai.com/v1");

    private Providers() {}

    /** {@code bedrock} for {@code bedrock/anthropic.claude-v2}; empty without a prefix. */
    static Optional<String> prefix(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(model.substring(0, slash));
    }

    static boolean isCallable(String model, boolean mock) {
        return mock || prefix(model).map(OPENAI_COMPATIBLE_PREFIXES::contains).orElse(true);
    }

    /** OpenAI's API for an OpenAI model; empty for a provider that is only known by its api_base. */
    static Optional<URI> defaultApiBase(String model) {
        return prefix(model).map("openai"::equals).orElse(true) ? Optional.of(OPENAI_API_BASE) : Optional.empty();
    }

    static String describeSupported() {
        return "no prefix, " + OPENAI_COMPATIBLE_PREFIXES.stream().map(p -> p + "/").collect(Collectors.joining(", "));
    }

    static String notSupportedWarning(String provider, String group) {
        return "provider \"" + provider + "\" is not supported by Triage yet, deployment left out of model group \""
                + group + "\"";
    }
}
