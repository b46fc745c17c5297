package dev.triage.node.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of three masters on loopback for a test, made as an operator makes one: three
 * {@code redis-server --cluster-enabled yes} processes, then {@code redis-cli --cluster create}.
 */
final class TestRedisCluster implements AutoCloseable {

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();

    private TestRedisCluster(Path dir) {
        this.dir = dir;
    }

    /** Whether this machine has Debian's redis-server and redis-cli (embedded-redis has no redis-cli). */
    static boolean available() {
        return onPath("redis-server") && onPath("redis-cli");
    }

    static TestRedisCluster start(int masters) throws IOException, InterruptedException {
        TestRedisCluster cluster = new TestRedisCluster(Files.createTempDirectory("triage-redis-cluster"));
        try {
            for (int i = 0; i < masters; i++) cluster.startServer(freePort());
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (int port : cluster.ports) create.add("127.0.0.1:" + port);
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create, cluster.dir.resolve("create.log"));
            cluster.awaitState();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The seeds, as {@code cluster_nodes} lists them. */
    List<String> urls() {
        return ports.stream().map(port -> "redis://127.0.0.1:" + port).toList();
    }

    private void startServer(int port) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve(Integer.toString(port)));
        Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "",
                "--appendonly", "no", "--protected-mode", "no", "--dir", home.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("redis.log").toFile()).start();
        servers.add(server);
        ports.add(port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cli(port, "PING").contains("PONG")) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("redis-server on " + port + " did not start: "
                        + Files.readString(home.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
    }

    private void awaitState() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (int port : ports) ok &= cli(port, "CLUSTER", "INFO").contains("cluster_state:ok");
            if (ok) return;
            Thread.sleep(100);
        }
        throw new IOException("the Redis cluster on " + ports + " did not reach cluster_state:ok within 30 s");
    }

    private String cli(int port, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }

    private static int freePort() throws IOException {
        // A cluster node also listens on its port + 10000 (the bus): both must be free.
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port + 10_000 > 65_535) continue;
                try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busTaken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port pair for a Redis cluster node");
    }

    @Override
    public void close() {
        for (Process server : servers) server.destroy();
        for (Process server : servers) {
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
