package dev.triage.node;

import dev.triage.core.spi.SchedulerBackend;

import java.util.List;

/** Where a node keeps its queues, started for it: the backend, what to say about it, and how to stop it. */
interface NodeStore extends AutoCloseable {

    SchedulerBackend backend();

    /** The store's time now: the config this node loads is versioned with it (contract 11). */
    long time();

    /** What the node listens on for the store, one line each (none for a client of a server). */
    List<String> bindings();

    /** Stops the backend, then what it runs on. */
    @Override
    void close();
}
