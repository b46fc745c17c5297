package dev.triage.node.cli;

import dev.triage.config.ClusterSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to start a node, as given on the command line. What is absent was not given: the HTTP
 * listener then takes its defaults, and the cluster its settings from the config's
 * {@code cluster:} section, which the command line overrides (see {@link #effectiveCluster}).
 *
 * @param port HTTP port ({@code --port})
 * @param host HTTP bind address ({@code --host})
 * @param clusterPort cluster member port ({@code --cluster-port})
 * @param members {@code host:port} of the members to join ({@code --members}); empty when not given
 * @param clusterName {@code --cluster-name}
 * @param clusterHost the cluster member's bind address ({@code --cluster-host})
 */
public record NodeOptions(
        Path configFile,
        OptionalInt port,
        Optional<String> host,
        OptionalInt clusterPort,
        List<String> members,
        Optional<String> clusterName,
        Optional<String> clusterHost) {

    /** LiteLLM's port. */
    public static final int DEFAULT_HTTP_PORT = 4000;

    /**
     * This machine only, as the node prints it: a node started to try it is not open to the network.
     * {@code --host 0.0.0.0} binds every interface, as LiteLLM does.
     */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

    public NodeOptions {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clusterPort, "clusterPort");
        members = List.copyOf(members);
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(clusterHost, "clusterHost");
    }

    /** Only a config file: every other setting from the file or the defaults. */
    public static NodeOptions of(Path configFile) {
        return new NodeOptions(
                configFile, OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), List.of(), Optional.empty(),
                Optional.empty());
    }

    public int httpPort() {
        return port.orElse(DEFAULT_HTTP_PORT);
    }

    public String httpHost() {
        return host.orElse(DEFAULT_HTTP_HOST);
    }

    /**
     * The config's cluster settings with the command line's overrides applied. Members given on
     * the command line replace the config's members and also its {@code kubernetes} discovery, as
     * a cluster joins by one method only.
     */
    public ClusterSettings effectiveCluster(ClusterSettings fromConfig) {
        boolean membersGiven = !members.isEmpty();
        return new ClusterSettings(
                clusterName.orElse(fromConfig.name()),
                clusterPort.orElse(fromConfig.port()),
                membersGiven ? members : fromConfig.members(),
                membersGiven ? Optional.empty() : fromConfig.kubernetes(),
                fromConfig.leaseBound(),
                fromConfig.minMembers(),
                clusterHost.or(fromConfig::host));
    }
}
