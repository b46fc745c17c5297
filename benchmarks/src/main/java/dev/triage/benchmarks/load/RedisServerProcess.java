package dev.triage.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A redis-server of the run's own on a free loopback port, keeping nothing on disk, for Redis mode. */
final class RedisServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServerProcess start(Path dir) throws IOException, InterruptedException {
        int port = Loopback.freePort();
        Process process;
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                    Loopback.HOST, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("Redis mode needs redis-server on the PATH (apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Loopback.answers(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return new RedisServerProcess(process, port);
    }

    String url() {
        return "redis://" + Loopback.HOST + ":" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
