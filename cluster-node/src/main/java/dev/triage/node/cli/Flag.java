package dev.triage.node.cli;

import dev.triage.config.ClusterSettings;
import java.util.Arrays;
import java.util.Optional;

/**
 * The options the command line knows, in the order {@code --help} lists them. The parser looks
 * names up here and the help text is rendered from here, so a flag cannot exist without its line.
 */
enum Flag {
    CONFIG("--config", "FILE", "a config file path",
            "the LiteLLM-style config.yaml to serve (required to start a node)"),
    PORT("--port", "N", CommandLineParser.PORT_RANGE,
            "HTTP port (default " + NodeOptions.DEFAULT_HTTP_PORT + ", as LiteLLM)"),
    HOST("--host", "ADDR", "a host name or IP address to bind",
            "HTTP bind address (default " + NodeOptions.DEFAULT_HTTP_HOST + ", this machine only; 0.0.0.0 for every "
                    + "interface, as LiteLLM)"),
    CLUSTER_PORT("--cluster-port", "N", CommandLineParser.PORT_RANGE,
            "cluster member port (overrides cluster.port; default 5701)"),
    CLUSTER_HOST("--cluster-host", "ADDR", ClusterSettings.BIND_ADDRESS_EXPECTED,
            "cluster member bind address (overrides cluster.host; default 127.0.0.1 while every member is on this "
                    + "machine, else 0.0.0.0)"),
    MEMBERS("--members", "H:P,...", "a comma-separated list of host:port with ports from 1 to 65535",
            "members to join (replaces cluster.members and cluster.kubernetes)"),
    CLUSTER_NAME("--cluster-name", "NAME", "a non-empty cluster name",
            "cluster name, the same on every node (overrides cluster.name; default triage)"),
    CHECK_CONFIG("--check-config", "FILE", "a config file path",
            "validate FILE, print the resolved settings with secrets masked, and exit"),
    HELP("--help", null, null, "print this help and exit (also -h)"),
    VERSION("--version", null, null, "print the version and exit");

    private final String name;
    private final String valueName;
    private final String expected;
    private final String description;

    Flag(String name, String valueName, String expected, String description) {
        this.name = name;
        this.valueName = valueName;
        this.expected = expected;
        this.description = description;
    }

    static Optional<Flag> named(String name) {
        return Arrays.stream(values()).filter(flag -> flag.name.equals(name)).findFirst();
    }

    /** As typed: {@code --port}. */
    String flagName() {
        return name;
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** {@code --port N}, or {@code --help} for a flag without a value. */
    String synopsis() {
        return takesValue() ? name + " " + valueName : name;
    }

    /** The "expected ..." half of a usage error about this flag's value. */
    String expected() {
        return expected;
    }

    String description() {
        return description;
    }
}
