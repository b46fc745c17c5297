package dev.triage.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The driver's handle on its {@link StubUpstream}: starts its JVM, reads and resets its records. */
final class UpstreamProcess implements AutoCloseable {
    private final ChildJvm jvm;
    private final int port;

    private UpstreamProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    static UpstreamProcess start(Path dir) throws IOException, InterruptedException {
        int port = Loopback.freePort();
        ChildJvm jvm = ChildJvm.start("upstream", List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LoadDriver.class.getName(), LoadDriver.UPSTREAM_COMMAND, Integer.toString(port)),
                dir.resolve("upstream.log"));
        UpstreamProcess upstream = new UpstreamProcess(jvm, port);
        jvm.awaitReady(() -> Loopback.probe(port, "/records?since=0") == 200, Duration.ofSeconds(30));
        return upstream;
    }

    /** The {@code api_base} of a behaviour: {@code /fast}, {@code /delay/50}. */
    String apiBase(String behaviour) {
        return "http://" + Loopback.HOST + ":" + port + behaviour;
    }

    /** Calls straight to the upstream, bypassing every node. */
    CallTarget direct(String behaviour) {
        return new CallTarget("upstream", port, behaviour + "/chat/completions", "stub");
    }

    /** Every call since the last reset, in arrival order. */
    List<UpstreamRecord> records() throws IOException {
        HttpResponse<String> response = Loopback.call("GET", port, "/records?since=0");
        return response.body().lines().map(UpstreamRecord::parse).toList();
    }

    void reset() throws IOException {
        Loopback.call("POST", port, "/reset");
    }

    /** Answers every call held so far. */
    void release() throws IOException {
        Loopback.call("POST", port, "/release");
    }

    @Override
    public void close() {
        jvm.close();
    }
}
