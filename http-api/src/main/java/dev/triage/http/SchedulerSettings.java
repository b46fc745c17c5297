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

    /** Provider prefixes of OpenAI-compatible APIs: stripped from the model name sent upstream. */
    private static final List<String> OPENAI_COMPATIBLE_PREFIXES = List.of("openai/", "custom_openai/", "hosted_vllm/");

    private SchedulerSettings() {
    }

    public static List<GroupSpec> groupSpecs(TriageConfig config) {
        List<GroupSpec> specs = new ArrayList<>();
        for (ModelGroupSettings group : config.groups()) specs.add(groupSpec(config, group));
        return specs;
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

    /** The model name the upstream expects: {@code openai/gpt-4o} is sent as {@code gpt-4o}. */
    public static String upstreamModel(String model) {
        for (String prefix : OPENAI_COMPATIBLE_PREFIXES) {
            if (model.startsWith(prefix)) return model.substring(prefix.length());
        }
        return model;
    }
}
