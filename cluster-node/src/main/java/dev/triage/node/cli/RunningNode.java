package dev.triage.node.cli;

import java.util.List;

/** A started node, as the command line sees it. */
public interface RunningNode extends AutoCloseable {
    /** The base URL it serves, e.g. {@code http://127.0.0.1:4000}. */
    String url();

    /**
     * Where it really listens, one line per port: {@code HTTP on 127.0.0.1:4000}, {@code cluster member on every
     * interface, port 5701, advertised as 10.0.0.5:5701}.
     */
    List<String> bindings();

    /** Blocks until the node has been asked to stop (e.g. by a shutdown hook) and has stopped. */
    void awaitShutdown() throws InterruptedException;

    /** Stops the node; a second call does nothing. */
    @Override
    void close();
}
