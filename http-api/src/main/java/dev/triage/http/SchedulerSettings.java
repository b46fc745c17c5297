package dev.triage.http;

import dev.triage.config.DeploymentSettings;
import dev.triage.config.ModelGroupSettings;
import dev.triage.config.RouterSettings;
import dev.triage.config.TriageConfig;
import dev.triage.core.Deployment;
import dev.triage.core.GroupSpec;
import dev.triage.core.RoutingStrategy;

import java.util.ArrayList;
import java.util.List;

/** Turns the validated config into the scheduler core's value types. */
public final class SchedulerSettings {

    private SchedulerSettings() {
    }

    public static List<GroupSpec> groupSpecs(TriageConfig config) {
        List<GroupSpec> specs = new ArrayList<>();
        for (ModelGroupSettings group : config.groups()) specs.add(groupSpec(config, group));
        return specs;
    }

    /**
     * The groups' settings as loaded from a file at store time {@code loadedAt}: the version that orders them
     * against another node's during a rolling update (contract 11).
     */
    public static List<GroupSpec> groupSpecs(TriageConfig config, long loadedAt) {
        return groupSpecs(config).stream().map(spec -> spec.loadedAt(loadedAt)).toList();
    }

    static GroupSpec groupSpec(TriageConfig config, ModelGroupSettings group) {
        RouterSettings router = config.router();
        List<Deployment> deployments = new ArrayList<>();
        for (DeploymentSettings d : group.deployments()) deployments.add(deployment(d));
        return new GroupSpec(group.name(), deployments, routing(router), router.maxQueueSize(), router.allowedFails(),
                router.cooldownTime().toMillis(), config.cluster().leaseBound().toMillis());
    }

    static Deployment deployment(DeploymentSettings d) {
        return new Deployment(d.id(),
                d.rpm().orElse(Deployment.UNLIMITED),
                d.tpm().orElse(Deployment.UNLIMITED),
                d.maxParallelRequests().orElse(Deployment.UNLIMITED_PARALLEL),
                d.weight(),
                d.order());
    }

    static RoutingStrategy routing(RouterSettings router) {
        return switch (router.routingStrategy()) {
            case SIMPLE_SHUFFLE -> RoutingStrategy.SIMPLE_SHUFFLE;
            case LEAST_BUSY -> RoutingStrategy.LEAST_BUSY;
            case USAGE_BASED_ROUTING -> RoutingStrategy.USAGE_BASED_ROUTING;
        };
    }

    /**
     * The model name the upstream expects, and the one a mock answers with: the deployment's model without its
     * provider prefix, whatever the provider ({@code openai/gpt-4o} is {@code gpt-4o},
     * {@code hosted_vllm/meta-llama/Llama-3.1-8B} is {@code meta-llama/Llama-3.1-8B}, a mock's
     * {@code anthropic/claude-3-5-haiku} is {@code claude-3-5-haiku}). A deployment that is called has either a
     * known prefix or none (the config leaves the others out), so a slash always ends a prefix.
     */
    public static String upstreamModel(String model) {
        int slash = model.indexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }
}
