package dev.triage.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver's OpenAI-compatible upstream, run in a JVM of its own ({@code LoadDriver upstream PORT}) so that one
 * clock times every call, on one event loop so that its records need no locks.
 *
 * <p>{@code POST <behaviour>/chat/completions} answers a fixed small chat completion with a {@code usage}
 * object, or, when the body asks {@code "stream": true}, three SSE chunks then {@code data: [DONE]}. The
 * behaviour is a path prefix: {@code /fast} answers at once, {@code /delay/N} after N ms (a timer, never a
 * blocked thread). A call tagged {@code hold} waits until {@code POST /release}.
 *
 * <p>{@code GET /records?since=I} lists the calls from the I-th on, one line each, {@code arrival end tag} (end
 * -1 while in flight); {@code POST /reset} forgets them.
 */
final class StubUpstream {
    private static final String PATH_SUFFIX = "/chat/completions";
    private static final String DELAY_PREFIX = "/delay/";
    private static final String COMPLETION = "{\"id\":\"chatcmpl-load\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"stub\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";
    private static final String CHUNK = "data: {\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1,\"model\":\"stub\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]%s}\n\n";
    private static final List<String> STREAM = List.of(
            CHUNK.formatted("{\"role\":\"assistant\"}", "null", ""),
            CHUNK.formatted("{\"content\":\"ok\"}", "null", ""),
            CHUNK.formatted("{}", "\"stop\"", ",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}"),
            "data: [DONE]\n\n");

    /** A call being or having been served; its end is set on the event loop, like everything here. */
    private static final class Call {
        final long arrival;
        final String tag;
        long end = -1;

        Call(long arrival, String tag) {
            this.arrival = arrival;
            this.tag = tag;
        }
    }

    private final Vertx vertx;
    private final List<Call> calls = new ArrayList<>();
    private final List<Runnable> held = new ArrayList<>();

    private StubUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    static void run(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        StubUpstream upstream = new StubUpstream(vertx);
        vertx.createHttpServer().requestHandler(upstream::handle).listen(port, Loopback.HOST)
                .toCompletionStage().toCompletableFuture().join();
        System.out.println("stub upstream listening on " + Loopback.HOST + ":" + port);
    }

    private void handle(HttpServerRequest request) {
        long arrival = System.nanoTime();
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.equals("/records")) {
            records(request);
        } else if (request.method() == HttpMethod.POST && path.equals("/reset")) {
            calls.clear();
            request.response().end();
        } else if (request.method() == HttpMethod.POST && path.equals("/release")) {
            held.forEach(Runnable::run);
            held.clear();
            request.response().end();
        } else if (request.method() == HttpMethod.POST && path.endsWith(PATH_SUFFIX)) {
            long delay = delayMillis(path.substring(0, path.length() - PATH_SUFFIX.length()));
            if (delay < 0) {
                request.response().setStatusCode(404).end();
            } else {
                request.body().onSuccess(body -> complete(request, arrival, body, delay));
            }
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    /** The delay a behaviour names, or -1 for none known. */
    private static long delayMillis(String behaviour) {
        if (behaviour.equals("/fast")) return 0;
        if (!behaviour.startsWith(DELAY_PREFIX)) return -1;
        try {
            return Long.parseLong(behaviour.substring(DELAY_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void complete(HttpServerRequest request, long arrival, Buffer body, long delay) {
        JsonObject json;
        String tag;
        try {
            json = body.toJsonObject();
            tag = json.getJsonArray("messages").getJsonObject(0).getString("content", "");
        } catch (RuntimeException e) {
            request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad body\"}}");
            return;
        }
        Call call = new Call(arrival, tag.replace('\n', ' '));
        calls.add(call);
        boolean stream = json.getBoolean("stream", false);
        Runnable answer = () -> answer(request.response(), stream, call);
        CallTag parsed = CallTag.parse(tag);
        if (parsed != null && parsed.hold()) {
            held.add(answer);
        } else if (delay == 0) {
            answer.run();
        } else {
            vertx.setTimer(delay, id -> answer.run());
        }
    }

    private static void answer(HttpServerResponse response, boolean stream, Call call) {
        if (stream) {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            for (int i = 0; i < STREAM.size() - 1; i++) response.write(STREAM.get(i));
            response.end(STREAM.get(STREAM.size() - 1));
        } else {
            response.putHeader("content-type", "application/json").end(COMPLETION);
        }
        call.end = System.nanoTime();
    }

    private void records(HttpServerRequest request) {
        String since = request.getParam("since");
        StringBuilder lines = new StringBuilder();
        for (int i = since == null ? 0 : Integer.parseInt(since); i < calls.size(); i++) {
            Call call = calls.get(i);
            lines.append(call.arrival).append(' ').append(call.end).append(' ').append(call.tag).append('\n');
        }
        request.response().putHeader("content-type", "text/plain").end(lines.toString());
    }
}
