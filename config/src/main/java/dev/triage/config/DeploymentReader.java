package dev.triage.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Reads one entry of {@code model_list}. */
final class DeploymentReader {
    static final List<String> ENTRY_KEYS = List.of("model_name", "litellm_params", "model_info");
    static final List<String> PARAM_KEYS = List.of(
            "model", "api_base", "api_key", "rpm", "tpm", "max_parallel_requests",
            "mock_response", "timeout", "weight", "order");

    /** A deployment with the paths that errors about it point at. */
    record Entry(DeploymentSettings settings, String path, String idPath, String modelPath) {}

    private DeploymentReader() {}

    static Entry read(ConfigNode node, int index) {
        ConfigSection entry = node.section();
        entry.warnAboutKeysOtherThan(ENTRY_KEYS);
        String modelName = entry.required("model_name", Expected.NON_EMPTY_STRING).string();
        ConfigSection params = entry.required("litellm_params", Expected.MAP).section();
        params.warnAboutKeysOtherThan(PARAM_KEYS);
        ConfigNode modelNode = params.required("model", Expected.NON_EMPTY_STRING);
        String model = modelNode.string();

        Optional<ConfigNode> infoNode = entry.optional("model_info");
        ConfigSection info = infoNode.map(ConfigNode::section)
                .orElseGet(() -> ConfigSection.empty(entry.context(), entry.pathOf("model_info")));
        if (!FrozenYaml.isWithinMaxDepth(info.raw())) {
            throw entry.context().error(info.path(), Expected.SHALLOW_MAP, Found.TOO_DEEP);
        }
        Optional<ConfigNode> idNode = info.optional("id");
        String id = idNode.map(ConfigNode::deploymentId).orElse(modelName + "-" + index);

        Optional<String> mockResponse = params.optional("mock_response").map(ConfigNode::text);
        DeploymentSettings settings = new DeploymentSettings(
                id,
                modelName,
                model,
                apiBase(params, model, mockResponse.isPresent()),
                params.optional("api_key").map(ConfigNode::secret),
                params.optionalLong("rpm", ConfigNode::positiveLong),
                params.optionalLong("tpm", ConfigNode::positiveLong),
                params.optionalInt("max_parallel_requests", ConfigNode::positiveInt),
                mockResponse,
                params.optional("timeout").map(ConfigNode::positiveSeconds),
                params.optionalInt("weight", ConfigNode::positiveInt).orElse(DeploymentSettings.DEFAULT_WEIGHT),
                params.optionalInt("order", ConfigNode::order).orElse(DeploymentSettings.UNORDERED),
                info.raw());
        return new Entry(settings, node.path(), idNode.map(ConfigNode::path).orElse(node.path()), modelNode.path());
    }

    /**
     * As written, else OpenAI's for an OpenAI model, as LiteLLM. A mock is never called, and a provider Triage
     * cannot call is left out of its group, so neither needs one; any other deployment without one is an error
     * now rather than a node that fails to start.
     */
    private static Optional<URI> apiBase(ConfigSection params, String model, boolean mock) {
        Optional<URI> written = params.optional("api_base").map(ConfigNode::httpUrl);
        if (written.isPresent() || mock || !Providers.isCallable(model, false)) {
            return written;
        }
        return Optional.of(Providers.defaultApiBase(model).orElseThrow(() -> params.context().error(
                params.pathOf("api_base"), Expected.apiBaseFor(model), Found.NOTHING)));
    }
}
