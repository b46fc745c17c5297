package dev.triage.node.cli;

import dev.triage.config.TriageConfig;

/** Starts a node from a loaded configuration and the command line's options. */
@FunctionalInterface
public interface NodeStarter {
    /**
     * Returns once the node serves HTTP. Throws when it cannot start (a port in use, a cluster it
     * cannot form); the message is shown to the operator as {@code error: could not start: <message>}.
     */
    RunningNode start(TriageConfig config, NodeOptions options) throws Exception;
}
