package dev.triage.node.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code --help} text: usage, one line per {@link Flag}, examples, exit statuses. */
final class HelpText {
    private static final String JAR = "java -jar cluster-node/target/triage.jar";

    private HelpText() {}

    static String render() {
        int width = Arrays.stream(Flag.values()).mapToInt(flag -> flag.synopsis().length()).max().orElse(0);
        String flags = Arrays.stream(Flag.values())
                .map(flag -> "  " + pad(flag.synopsis(), width) + "  " + flag.description())
                .collect(Collectors.joining("\n"));
        return """
                Usage: %1$s --config FILE [--port N] [--host ADDR]
                           [--cluster-port N] [--cluster-host ADDR] [--members H:P,...]
                           [--cluster-name NAME]
                       %1$s --check-config FILE
                       %1$s --help | --version

                Triage: a cluster of nodes that puts requests to LLM APIs in priority order,
                configured by a LiteLLM-style config.yaml. Options given here override the
                config's cluster: section. A node listens on this machine only (127.0.0.1)
                unless given --host and --cluster-host (0.0.0.0 for every interface); its
                cluster port has no authentication, so bind it to a private network.

                Options (each also as --option=VALUE):
                %2$s

                Examples:
                  Start a node on port 4000 with mock deployments (no API keys needed):
                    %1$s --config examples/mock-config.yaml
                  Check a config and show the resolved settings, secrets masked:
                    %1$s --check-config examples/mock-config.yaml

                Exit status: 0 success, 1 the node could not start, 2 a usage or config error.
                """.formatted(JAR, flags);
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
