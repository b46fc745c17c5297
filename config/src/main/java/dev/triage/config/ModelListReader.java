package dev.triage.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code model_list} into model groups: deployments sharing a {@code model_name}, in file
 * order. A deployment Triage cannot call is left out with a warning; a group left empty is an error.
 */
final class ModelListReader {
    private ModelListReader() {}

    static List<ModelGroupSettings> read(ConfigSection root) {
        ReadContext context = root.context();
        ConfigNode modelList = root.required("model_list", Expected.DEPLOYMENT_LIST);
        List<ConfigNode> nodes = modelList.list(Expected.DEPLOYMENT_LIST);
        if (nodes.isEmpty()) {
            throw context.error(modelList.path(), Expected.DEPLOYMENT_LIST, Found.EMPTY_LIST);
        }
        Map<String, String> pathById = new HashMap<>();
        Map<String, List<DeploymentSettings>> callableByGroup = new LinkedHashMap<>();
        Map<String, DeploymentReader.Entry> firstLeftOutByGroup = new HashMap<>();
        for (int index = 0; index < nodes.size(); index++) {
            DeploymentReader.Entry entry = DeploymentReader.read(nodes.get(index), index);
            DeploymentSettings deployment = entry.settings();
            String firstPath = pathById.putIfAbsent(deployment.id(), entry.path());
            if (firstPath != null) {
                throw context.error(
                        entry.idPath(), Expected.UNIQUE_DEPLOYMENT_ID, Found.alsoUsedBy(deployment.id(), firstPath));
            }
            String group = deployment.modelName();
            List<DeploymentSettings> callable = callableByGroup.computeIfAbsent(group, name -> new ArrayList<>());
            if (Providers.isCallable(deployment.model(), deployment.isMock())) {
                callable.add(deployment);
            } else {
                String provider = Providers.prefix(deployment.model()).orElseThrow();
                context.warn(entry.modelPath(), Providers.notSupportedWarning(provider, group));
                firstLeftOutByGroup.putIfAbsent(group, entry);
            }
        }
        List<ModelGroupSettings> groups = new ArrayList<>();
        callableByGroup.forEach((name, deployments) -> {
            if (deployments.isEmpty()) {
                DeploymentReader.Entry leftOut = firstLeftOutByGroup.get(name);
                throw context.error(
                        leftOut.modelPath(),
                        Expected.callableDeploymentIn(name),
                        Found.quoted(leftOut.settings().model()));
            }
            groups.add(new ModelGroupSettings(name, deployments));
        });
        return groups;
    }
}
