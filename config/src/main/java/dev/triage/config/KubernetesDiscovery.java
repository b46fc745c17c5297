package dev.triage.config;

import java.util.Objects;
import java.util.OptionalInt;

/** {@code cluster.kubernetes}: find members through a headless service's DNS name. */
public record KubernetesDiscovery(String serviceDns, OptionalInt servicePort) {
    public KubernetesDiscovery {
        Objects.requireNonNull(serviceDns, "serviceDns");
        Objects.requireNonNull(servicePort, "servicePort");
    }
}
