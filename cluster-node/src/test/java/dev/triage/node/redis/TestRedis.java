package dev.triage.node.redis;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for a test: {@code REDIS_URL} if set (a server someone else runs; only its keys under the
 * test's prefix are touched), else a {@code redis-server} process of our own on a free loopback port: Debian's
 * if installed, else the Redis 6.2 that embedded-redis ships. Ours can be killed and started again, empty.
 */
public final class TestRedis implements AutoCloseable {

    private final String externalUrl;
    private final int port;
    private final Path dir;
    private final List<String> settings;
    private Process process;

    private TestRedis(String externalUrl, int port, Path dir, List<String> settings) {
        this.externalUrl = externalUrl;
        this.port = port;
        this.dir = dir;
        this.settings = List.copyOf(settings);
    }

    /** {@code REDIS_URL}'s server, or one of our own. */
    public static TestRedis start() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) return new TestRedis(url, -1, null, List.of());
        return startOwn();
    }

    /** A server of our own whatever REDIS_URL says, with these settings ({@code --requirepass s}, ...). */
    public static TestRedis startOwn(String... settings) {
        try {
            TestRedis redis = new TestRedis(null, freePort(), Files.createTempDirectory("triage-redis"),
                    List.of(settings));
            redis.startProcess();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a redis-server for the test", e);
        }
    }

    public String url() {
        return externalUrl != null ? externalUrl : "redis://127.0.0.1:" + port;
    }

    /** Whether the test runs this server itself, and so may kill and restart it. */
    public boolean ownsServer() {
        return externalUrl == null;
    }

    /** kill -9: the server and everything it held is gone. */
    public void kill() {
        requireOwn();
        process.destroyForcibly();
        waitFor(process);
        process = null;
    }

    /** Starts the server again on the same port, empty (it keeps nothing on disk). */
    public void restart() throws IOException {
        requireOwn();
        startProcess();
    }

    private void requireOwn() {
        if (externalUrl != null) throw new IllegalStateException("REDIS_URL points at a server this test does not own");
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(executable(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--maxmemory-policy", "noeviction", "--dir", dir.toString()));
        command.addAll(settings);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            if (pong()) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("redis-server on port " + port + " did not answer PING within 20 s");
    }

    private boolean pong() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.read(reply);
            String answer = read > 0 ? new String(reply, 0, read, StandardCharsets.US_ASCII) : "";
            // A server with a password answers, but refuses PING before AUTH.
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String executable() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) return candidate.getPath();
        }
        File shipped = ExecutableProvider.newJarResourceProvider().get();
        if (!shipped.canExecute() && !shipped.setExecutable(true)) throw new IOException("cannot run " + shipped);
        return shipped.getPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            waitFor(process);
            if (process.isAlive()) process.destroyForcibly();
        }
    }
}
