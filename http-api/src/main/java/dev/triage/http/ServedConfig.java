package dev.triage.http;

import dev.triage.config.DeploymentSettings;
import dev.triage.config.ModelGroupSettings;
import dev.triage.config.TriageConfig;
import dev.triage.http.upstream.HttpUpstream;
import dev.triage.http.upstream.MockUpstream;
import dev.triage.http.upstream.Upstream;
import dev.triage.http.upstream.UpstreamClients;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The config a router serves under, with its model groups, deployments and their upstreams, as one immutable
 * value: a reload swaps it whole, and a call keeps the one it started under to its end, so that a deployment
 * removed meanwhile still has its upstream for the calls already on it.
 */
final class ServedConfig {

    private final TriageConfig config;
    private final Map<String, ModelGroupSettings> groups = new LinkedHashMap<>();
    private final Map<String, DeploymentSettings> deployments = new LinkedHashMap<>();
    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private final Map<String, GroupPace> paces = new LinkedHashMap<>();

    /**
     * @param previous what was served before (null at start): an unchanged deployment keeps its upstream and an
     *                 unchanged group its pace
     * @throws IllegalArgumentException for a deployment that can be neither called nor mocked
     */
    ServedConfig(TriageConfig config, ServedConfig previous, Vertx vertx, UpstreamClients clients) {
        this.config = config;
        for (ModelGroupSettings group : config.groups()) {
            groups.put(group.name(), group);
            for (DeploymentSettings d : group.deployments()) {
                if (!d.isMock() && d.apiBase().isEmpty()) {
                    throw new IllegalArgumentException("deployment " + d.id() + " has neither api_base nor mock_response");
                }
                deployments.put(d.id(), d);
            }
        }
        for (ModelGroupSettings group : config.groups()) {
            boolean windowBound = group.deployments().stream().allMatch(d -> d.rpm().isPresent() || d.tpm().isPresent());
            GroupPace kept = previous == null ? null : previous.paces.get(group.name());
            paces.put(group.name(), kept != null && kept.windowBound() == windowBound ? kept : new GroupPace(windowBound));
            for (DeploymentSettings d : group.deployments()) {
                DeploymentSettings before = previous == null ? null : previous.deployments.get(d.id());
                upstreams.put(d.id(), before != null && sameUpstream(before, d)
                        ? previous.upstreams.get(d.id()) : upstream(d, vertx, clients));
            }
        }
    }

    private static boolean sameUpstream(DeploymentSettings a, DeploymentSettings b) {
        return a.apiBase().equals(b.apiBase()) && a.apiKey().equals(b.apiKey())
                && a.mockResponse().equals(b.mockResponse());
    }

    private static Upstream upstream(DeploymentSettings d, Vertx vertx, UpstreamClients clients) {
        return d.isMock()
                ? new MockUpstream(vertx, d.mockResponse().orElseThrow())
                : new HttpUpstream(clients, d.apiBase().orElseThrow(), d.apiKey().map(secret -> secret.reveal()));
    }

    TriageConfig config() {
        return config;
    }

    Map<String, ModelGroupSettings> groups() {
        return groups;
    }

    /** The group a request's model names, or null. */
    ModelGroupSettings group(String model) {
        return groups.get(model);
    }

    GroupPace pace(String group) {
        return Objects.requireNonNull(paces.get(group), group);
    }

    DeploymentSettings deployment(String id) {
        return deployments.get(id);
    }

    Upstream upstream(String deploymentId) {
        return upstreams.get(deploymentId);
    }

    /** How long a ticket may wait, retries included: router_settings.timeout, else request_timeout, else 600 s. */
    Duration queueTimeout() {
        return config.router().queueTimeout();
    }

    /** The upstream call's own bound: the deployment's timeout, else litellm_settings.request_timeout. */
    Duration upstreamTimeout(DeploymentSettings deployment) {
        return deployment.timeout().or(() -> config.litellm().requestTimeout()).orElse(Duration.ofSeconds(600));
    }

    int numRetries() {
        return config.litellm().numRetries();
    }

    boolean cancelOnDisconnect() {
        return config.general().cancelOnDisconnect();
    }

    long defaultPriority() {
        return config.router().defaultPriority();
    }
}
