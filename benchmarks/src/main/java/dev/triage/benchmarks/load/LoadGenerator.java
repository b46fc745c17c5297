package dev.triage.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The client side, non-blocking, on this JVM's event loops, over pooled keep-alive HTTP/1.1 connections. A
 * closed loop keeps N calls going, each connection sending its next call when the previous answer has ended; a
 * burst sends a list of calls at once, on a connection each.
 */
final class LoadGenerator implements AutoCloseable {
    /** Longer than any queue timeout a scenario sets, so that a missing answer shows as one. */
    private static final long ANSWER_TIMEOUT_MS = 120_000;
    private static final String QUEUE_WAIT = "x-triage-queue-wait-ms";

    private final Vertx vertx = Vertx.vertx();

    /** {@code connections} loops calling {@code target} for the warm-up, then for {@code measured}. */
    LoadResult closedLoop(CallTarget target, int connections, Duration warmUp, Duration measured, boolean stream)
            throws InterruptedException {
        HttpClient client = client(connections);
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long until = measureFrom + measured.toNanos();
        CountDownLatch done = new CountDownLatch(connections);
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Loop loop = new Loop(client, target, stream, i, measureFrom, until, done);
            loops.add(loop);
            // A context of its own, so that each loop's callbacks run on one event loop, one at a time.
            vertx.getOrCreateContext().runOnContext(v -> loop.next());
        }
        boolean finished = done.await(warmUp.toMillis() + measured.toMillis() + ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        client.close();
        Histogram latency = new Histogram(3);
        Map<String, Long> outcomes = new HashMap<>();
        long sent = 0;
        long lastAnswer = measureFrom;
        for (Loop loop : loops) {
            latency.add(loop.latency);
            loop.outcomes.forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
            sent += loop.sent;
            lastAnswer = Math.max(lastAnswer, loop.lastAnswer);
        }
        if (!finished) outcomes.merge("loop still waiting", 1L, Long::sum);
        return new LoadResult(sent, outcomes, latency, (lastAnswer - measureFrom) / 1e9, List.of());
    }

    /** Sends every call at once, call i to {@code targets[i % size]}; answers come back in the same order. */
    Burst burst(List<CallTarget> targets, List<CallTag> tags) {
        return new Burst(client(tags.size()), targets, tags);
    }

    /** Calls in flight; {@link #await} gathers their answers. */
    final class Burst {
        private final HttpClient client;
        private final AtomicReferenceArray<Answer> answers;
        private final CountDownLatch answered;
        private final AtomicLong duplicates = new AtomicLong();
        private final long start = System.nanoTime();

        private Burst(HttpClient client, List<CallTarget> targets, List<CallTag> tags) {
            this.client = client;
            this.answers = new AtomicReferenceArray<>(tags.size());
            this.answered = new CountDownLatch(tags.size());
            for (int i = 0; i < tags.size(); i++) {
                int index = i;
                send(client, targets.get(i % targets.size()), tags.get(i), false).onComplete(result -> {
                    if (answers.compareAndSet(index, null, result.result())) {
                        answered.countDown();
                    } else {
                        duplicates.incrementAndGet();
                    }
                });
            }
        }

        LoadResult await(Duration timeout) throws InterruptedException {
            answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            client.close();
            Histogram latency = new Histogram(3);
            Map<String, Long> outcomes = new HashMap<>();
            Answer[] each = new Answer[answers.length()];
            for (int i = 0; i < each.length; i++) {
                each[i] = answers.get(i);
                if (each[i] == null) continue;
                latency.recordValue(Math.max(0, each[i].latencyNanos() / 1000));
                outcomes.merge(each[i].outcome(), 1L, Long::sum);
            }
            if (duplicates.get() > 0) outcomes.put("second answer", duplicates.get());
            return new LoadResult(each.length, outcomes, latency, seconds, Arrays.asList(each));
        }
    }

    /**
     * One connection's loop. It runs on one context, so it needs no lock; its last write happens before its
     * count-down, which publishes it to the thread that awaits the latch.
     */
    private final class Loop {
        private final HttpClient client;
        private final CallTarget target;
        private final boolean stream;
        private final int id;
        private final long measureFrom;
        private final long until;
        private final CountDownLatch done;
        private final Histogram latency = new Histogram(3);
        private final Map<String, Long> outcomes = new HashMap<>();
        private long sent;
        private long lastAnswer;
        private int seq;

        Loop(HttpClient client, CallTarget target, boolean stream, int id, long measureFrom, long until,
             CountDownLatch done) {
            this.client = client;
            this.target = target;
            this.stream = stream;
            this.id = id;
            this.measureFrom = measureFrom;
            this.until = until;
            this.done = done;
        }

        void next() {
            long sentAt = System.nanoTime();
            if (sentAt >= until) {
                done.countDown();
                return;
            }
            boolean measured = sentAt >= measureFrom;
            if (measured) sent++;
            send(client, target, CallTag.of(id * 1_000_000 + seq++ % 1_000_000, 0), stream).onComplete(result -> {
                if (measured) {
                    Answer answer = result.result();
                    latency.recordValue(Math.max(0, answer.latencyNanos() / 1000));
                    outcomes.merge(answer.outcome(), 1L, Long::sum);
                    lastAnswer = System.nanoTime();
                }
                next();
            });
        }
    }

    private HttpClient client(int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** One call; the future always succeeds, with the call's {@link Answer}. */
    private static Future<Answer> send(HttpClient client, CallTarget target, CallTag tag, boolean stream) {
        long sentAt = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(Loopback.HOST)
                .setPort(target.port())
                .setURI(target.path())
                .setIdleTimeout(ANSWER_TIMEOUT_MS)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        Buffer body = Buffer.buffer("{\"model\":\"" + target.model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + tag.text() + "\"}],\"priority\":" + tag.priority() + (stream ? ",\"stream\":true" : "") + "}");
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(received -> answer(tag, response, received, stream, sentAt)))
                .otherwise(failure -> new Answer(tag, -1, -1, System.nanoTime() - sentAt,
                        failure.getClass().getSimpleName()));
    }

    private static Answer answer(CallTag tag, HttpClientResponse response, Buffer body, boolean stream, long sentAt) {
        long latency = System.nanoTime() - sentAt;
        String wait = response.getHeader(QUEUE_WAIT);
        String text = body.toString();
        boolean whole = stream ? text.contains("data: [DONE]") : text.contains("\"choices\"");
        String failure = response.statusCode() == 200 && !whole ? "incomplete body" : null;
        return new Answer(tag, response.statusCode(), wait == null ? -1 : Long.parseLong(wait.trim()), latency, failure);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
