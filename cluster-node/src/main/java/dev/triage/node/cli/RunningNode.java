package dev.triage.node.cli;

/** A started node, as the command line sees it. */
public interface RunningNode extends AutoCloseable {
    /** The base URL it serves, e.g. {@code http://127.0.0.1:4000}. */
    String url();

    /** Blocks until the node has been asked to stop (e.g. by a shutdown hook) and has stopped. */
    void awaitShutdown() throws InterruptedException;

    /** Stops the node; a second call does nothing. */
    @Override
    void close();
}
