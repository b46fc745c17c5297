package dev.triage.node.process;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream that answers every chat completion after a fixed delay and counts how many
 * calls it is serving at once: the number the parallel limit must bound, across the whole fleet.
 */
final class SlowUpstream implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger lateBodies = new AtomicInteger();
    private volatile long delayMillis;

    SlowUpstream(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            boolean counted = false;
            try (exchange) {
                // A call is served once its request has arrived whole: a sender frozen mid-request is not served.
                long reading = System.nanoTime();
                exchange.getRequestBody().readAllBytes();
                if (System.nanoTime() - reading > 1_000_000_000L) lateBodies.incrementAndGet();
                peak.accumulateAndGet(current.incrementAndGet(), Math::max);
                counted = true;
                Thread.sleep(delayMillis);
                byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,"
                        + "\"total_tokens\":6}}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                served.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException callerGone) {
                // the node that called died or gave up: the call still ended here
            } finally {
                if (counted) current.decrementAndGet();
            }
        });
        server.start();
    }

    /** Answers calls that arrive from now on after this delay. */
    void delay(long millis) {
        delayMillis = millis;
    }

    String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The most calls it ever served at once. */
    int peak() {
        return peak.get();
    }

    void resetPeak() {
        peak.set(current.get());
    }

    int served() {
        return served.get();
    }

    /**
     * Requests whose body took over a second to arrive after their head: sent by a node frozen mid-request. Their
     * lease was taken back while the node was silent, so each may be one call over the limit once it thaws (the
     * overshoot the contract allows: calls a node admitted before it stopped).
     */
    int lateBodies() {
        return lateBodies.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
