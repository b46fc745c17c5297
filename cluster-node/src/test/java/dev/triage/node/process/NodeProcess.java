package dev.triage.node.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One Triage node as a separate JVM running the packaged jar, as an operator starts it. */
final class NodeProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final int httpPort;
    private final Path log;

    NodeProcess(Path config, int httpPort, int clusterPort, List<String> members, String clusterName, Path log)
            throws IOException {
        this(config, httpPort, log, List.of("--cluster-port", Integer.toString(clusterPort),
                "--members", String.join(",", members), "--cluster-name", clusterName));
    }

    /** A node whose config keeps its queues in Redis: no cluster flags. */
    static NodeProcess redisMode(Path config, int httpPort, Path log) throws IOException {
        return new NodeProcess(config, httpPort, log, List.of());
    }

    private NodeProcess(Path config, int httpPort, Path log, List<String> clusterFlags) throws IOException {
        this.httpPort = httpPort;
        this.log = log;
        String jar = System.getProperty("triage.jar", "target/triage.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar,
                "--config", config.toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(httpPort)));
        command.addAll(clusterFlags);
        Files.createDirectories(log.getParent());
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean ready() {
        return readiness() == 200;
    }

    /** The readiness probe's status, or -1 if it got no answer within its timeout. */
    int readiness() {
        try {
            HttpResponse<String> response = PROBE.send(HttpRequest.newBuilder(URI.create(url() + "/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void kill9() {
        process.destroyForcibly();
    }

    void freeze() throws Exception {
        signal("STOP");
    }

    void thaw() throws Exception {
        signal("CONT");
    }

    /** SIGTERM, as an orchestrator stops a node. */
    void terminate() throws Exception {
        signal("TERM");
    }

    /** SIGHUP, as an operator asks a node to read its config file again. */
    void hangUp() throws Exception {
        signal("HUP");
    }

    /** Whether the process ended within {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Everything the node logged so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    private void signal(String name) throws Exception {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start().waitFor();
        if (code != 0) throw new IllegalStateException("kill -" + name + " " + pid() + " exited " + code);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static File logDir() {
        return new File("target/it-logs");
    }
}
