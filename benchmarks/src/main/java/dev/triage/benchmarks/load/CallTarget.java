package dev.triage.benchmarks.load;

/** Where a call goes: a node's or the upstream's port on loopback, the path, and the body's model. */
record CallTarget(String name, int port, String path, String model) {
}
