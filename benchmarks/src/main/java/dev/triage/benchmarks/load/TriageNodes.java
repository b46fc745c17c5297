package dev.triage.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One or more Triage nodes, each a JVM running {@code cluster-node/target/triage.jar}, forming one Hazelcast
 * cluster on loopback (TCP-IP members on 127.0.0.1, multicast off), under a cluster name of their own; or, for a
 * config in Redis mode, sharing its Redis server and nothing else.
 */
final class TriageNodes implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<ChildJvm> jvms;
    private final List<Integer> httpPorts;

    private TriageNodes(List<ChildJvm> jvms, List<Integer> httpPorts) {
        this.jvms = jvms;
        this.httpPorts = httpPorts;
    }

    /** Starts {@code count} nodes serving {@code config} and waits until each reports ready. */
    static TriageNodes start(String name, int count, String config, boolean redisMode, Path dir)
            throws IOException, InterruptedException {
        Path configFile = dir.resolve(name + ".yaml");
        Files.writeString(configFile, config);
        List<Integer> httpPorts = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            httpPorts.add(Loopback.freePort());
            members.add(Loopback.HOST + ":" + Loopback.freePort());
        }
        String clusterName = "load-" + name + "-" + UUID.randomUUID();
        TriageNodes nodes = new TriageNodes(new ArrayList<>(), httpPorts);
        try {
            for (int i = 0; i < count; i++) {
                String clusterPort = members.get(i).substring(members.get(i).indexOf(':') + 1);
                List<String> command = new ArrayList<>(List.of("-Xms256m", "-Xmx1g",
                        "-jar", triageJar().toString(),
                        "--config", configFile.toString(),
                        "--host", Loopback.HOST,
                        "--port", Integer.toString(httpPorts.get(i))));
                if (!redisMode) {
                    command.addAll(List.of("--cluster-port", clusterPort, "--members", String.join(",", members),
                            "--cluster-name", clusterName));
                }
                nodes.jvms.add(ChildJvm.start(name + "-node" + i, command, dir.resolve(name + "-node" + i + ".log")));
            }
            for (int i = 0; i < count; i++) {
                int port = httpPorts.get(i);
                nodes.jvms.get(i).awaitReady(() -> Loopback.probe(port, "/health/readiness") == 200, READY_TIMEOUT);
            }
            return nodes;
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    int size() {
        return httpPorts.size();
    }

    /** Each node's chat completions route for {@code group}. */
    List<CallTarget> targets(String group) {
        return httpPorts.stream().map(port -> new CallTarget("node", port, "/v1/chat/completions", group)).toList();
    }

    /** The store counters summed over every node. */
    ScrapedCounters storeCounters() throws IOException {
        ScrapedCounters sum = ScrapedCounters.ZERO;
        for (int port : httpPorts) {
            var response = Loopback.call("GET", port, "/metrics");
            sum = sum.plus(response.statusCode() == 200 ? ScrapedCounters.parse(response.body())
                    : ScrapedCounters.parse(""));
        }
        return sum;
    }

    /** {@code -Dtriage.jar=...}, else the node jar built beside this one. */
    private static Path triageJar() {
        String configured = System.getProperty("triage.jar");
        if (configured != null) return Path.of(configured);
        Path relative = Path.of("cluster-node", "target", "triage.jar");
        if (Files.exists(relative)) return relative.toAbsolutePath();
        Path beside = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0])
                .toAbsolutePath().getParent().getParent().getParent().resolve(relative);
        if (Files.exists(beside)) return beside;
        throw new IllegalStateException("no " + relative + " here or beside the benchmarks jar; build it "
                + "(./mvnw -B -q package -DskipTests) or pass -Dtriage.jar=PATH");
    }

    /** SIGTERM to every node, then a kill for any still running 10 s later. */
    @Override
    public void close() {
        jvms.forEach(ChildJvm::terminate);
        jvms.forEach(ChildJvm::close);
    }
}
