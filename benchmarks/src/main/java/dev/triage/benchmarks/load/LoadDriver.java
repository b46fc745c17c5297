package dev.triage.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures Triage nodes end to end on loopback: a stub upstream of its own, one node and then a cluster of three,
 * all as child JVMs, under load from this JVM. Build, then run from the repository root:
 *
 * <pre>{@code
 * ./mvnw -B -q package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.triage.benchmarks.load.LoadDriver [--quick]
 * }</pre>
 *
 * <p>About 5 minutes; {@code --quick} under 2 (shorter runs, smaller bursts, no 100,000-ticket depth). The
 * 10,000-call utilisation burst needs {@code ulimit -n} of at least 11,000 (below that it is skipped, and says
 * so). The node jar is {@code cluster-node/target/triage.jar} (or {@code -Dtriage.jar=PATH}); the node configs and
 * every child JVM's log go to a temporary directory that the header names.
 *
 * <p>Scenarios, in order: overhead (one connection, straight to the upstream and through a node), throughput
 * (16, 64, 256 connections, plain and streaming), handoff and ordering on one node, utilisation at saturation,
 * handoff and ordering on three nodes, store operations per admitted call (from the nodes' {@code /metrics}), and
 * the admission cost at depth on an in-process Hazelcast member. Each prints rows of a table; at the end one line
 * {@code RESULT {...}} holds every row as JSON.
 *
 * <p>{@code -Dtriage.load.only=overhead,throughput} runs only the scenarios whose names start with one of these.
 *
 * <p>{@code --redis} runs it all in Redis mode: the driver starts a redis-server of its own (Debian's, on the
 * PATH) and the nodes keep their queues there, sharing nothing else; the admission cost is measured on an
 * in-process Redis backend against it.
 *
 * <p>{@code LoadDriver upstream PORT} runs the stub upstream itself; the driver starts it so.
 */
public final class LoadDriver {
    static final String UPSTREAM_COMMAND = "upstream";

    private static final long START = System.nanoTime();
    /** {@code -Dtriage.load.only=overhead,handoff} runs only the scenarios whose names start so. */
    private static final java.util.List<String> ONLY = System.getProperty("triage.load.only") == null ? null
            : Arrays.asList(System.getProperty("triage.load.only").split(","));

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(UPSTREAM_COMMAND)) {
            StubUpstream.run(Integer.parseInt(args[1]));
            return;
        }
        Plan plan = Plan.of(Arrays.asList(args).contains("--quick"));
        boolean redisMode = Arrays.asList(args).contains("--redis");
        Path dir = Files.createTempDirectory("triage-load");
        Report report = new Report();
        Map<String, Object> machine = machine(plan, dir);
        machine.put("backend", redisMode ? "redis" : "hazelcast");
        report.machine(machine);
        StoreOps storeOps = new StoreOps();
        try (UpstreamProcess upstream = UpstreamProcess.start(dir); LoadGenerator load = new LoadGenerator();
             RedisServerProcess redis = redisMode ? RedisServerProcess.start(dir) : null) {
            Rig rig = new Rig(plan, upstream, load, report);
            String config = NodeConfig.yaml(upstream, plan.queueTimeoutSeconds(), redisMode ? redis.url() : null);
            progress("starting one node");
            try (TriageNodes node = TriageNodes.start("single", 1, config, redisMode, dir)) {
                attempt(report, "overhead", () -> OverheadScenario.run(rig, node));
                attempt(report, "throughput", () -> ThroughputScenario.run(rig, node));
                attempt(report, "handoff", () -> storeOps.around("handoff", node, () -> HandoffScenario.run(rig, node)));
                attempt(report, "ordering", () -> storeOps.around("ordering", node,
                        () -> OrderingScenario.run(rig, node)));
                for (int calls : plan.utilisationCalls()) {
                    if (!UtilisationScenario.enoughFiles(calls)) {
                        report.failed("utilisation " + calls, new IllegalStateException(
                                "skipped: ulimit -n is too low for " + calls + " connections"));
                        continue;
                    }
                    attempt(report, "utilisation " + calls, () -> storeOps.around("utilisation " + calls, node,
                            () -> UtilisationScenario.run(rig, node, calls)));
                }
            }
            progress("starting three nodes");
            try (TriageNodes cluster = TriageNodes.start("cluster", 3, config, redisMode, dir)) {
                attempt(report, "handoff, 3 nodes", () -> storeOps.around("handoff", cluster,
                        () -> HandoffScenario.run(rig, cluster)));
                attempt(report, "ordering, 3 nodes", () -> storeOps.around("ordering", cluster,
                        () -> OrderingScenario.run(rig, cluster)));
            }
            storeOps.report(report);
            for (int depth : plan.depths()) {
                attempt(report, "admission cost " + depth, () -> AdmissionCostScenario.run(rig, depth,
                        redisMode ? redis.url() : null));
            }
        }
        report.finish((System.nanoTime() - START) / 1e9);
        System.exit(0); // stops any thread Hazelcast or Vert.x left behind
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs one scenario; a failure is reported and the next scenario runs. */
    private static void attempt(Report report, String scenario, Step step) {
        if (ONLY != null && ONLY.stream().noneMatch(scenario::startsWith)) return;
        progress(scenario);
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + scenario, e);
        } catch (Exception e) {
            e.printStackTrace();
            report.failed(scenario, e);
        }
    }

    static void progress(String what) {
        System.err.printf("[load %5.1f s] %s%n", (System.nanoTime() - START) / 1e9, what);
    }

    private static Map<String, Object> machine(Plan plan, Path dir) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("cpu", cpuModel());
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            facts.put("open_files_limit", unix.getMaxFileDescriptorCount());
            facts.put("memory_gib", Math.round(unix.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        }
        facts.put("mode", plan.quick() ? "quick" : "default");
        facts.put("logs", dir.toString());
        return facts;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
