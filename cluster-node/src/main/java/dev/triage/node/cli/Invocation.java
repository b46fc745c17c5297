package dev.triage.node.cli;

import java.nio.file.Path;
import java.util.Objects;

/** What a command line asks for: the one thing {@link CommandLineParser} makes of it. */
public sealed interface Invocation {

    /** Start a node: {@code --config FILE} and any overrides. */
    record Start(NodeOptions options) implements Invocation {
        public Start {
            Objects.requireNonNull(options, "options");
        }
    }

    /** {@code --check-config FILE}: validate, describe and exit. */
    record CheckConfig(Path configFile) implements Invocation {
        public CheckConfig {
            Objects.requireNonNull(configFile, "configFile");
        }
    }

    /** {@code --help} or {@code -h}. */
    record Help() implements Invocation {}

    /** {@code --version}. */
    record Version() implements Invocation {}
}
