package dev.triage.config;

import java.util.List;
import java.util.Objects;

/** The deployments that share one {@code model_name}, in file order. */
public record ModelGroupSettings(String name, List<DeploymentSettings> deployments) {
    public ModelGroupSettings {
        Objects.requireNonNull(name, "name");
        deployments = List.copyOf(deployments);
    }
}
