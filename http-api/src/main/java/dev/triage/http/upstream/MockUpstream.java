package dev.triage.http.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.http.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A deployment with {@code mock_response}: answers locally with a well-formed OpenAI response (or its
 * server-sent-event form, one chunk a word) with usage counts, so the whole path runs with no upstream.
 */
public final class MockUpstream implements Upstream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final String content;

    public MockUpstream(Vertx vertx, String content) {
        this.vertx = vertx;
        this.content = content;
    }

    @Override
    public UpstreamCall send(Endpoint endpoint, ObjectNode body, boolean stream) {
        String model = body.path("model").asText();
        long promptTokens = Math.max(1, body.toString().length() / 4);
        long completionTokens = Math.max(1, content.split("\\s+").length);
        String id = (endpoint == Endpoint.CHAT ? "chatcmpl-" : "cmpl-") + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        List<Buffer> chunks = stream
                ? streamed(endpoint, id, created, model, promptTokens, completionTokens)
                : List.of(Buffer.buffer(whole(endpoint, id, created, model, promptTokens, completionTokens).toString()));
        BufferListStream body0 = new BufferListStream(vertx.getOrCreateContext(), chunks);
        UpstreamResponse response = new UpstreamResponse() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public String header(String name) {
                return "content-type".equalsIgnoreCase(name)
                        ? (stream ? "text/event-stream" : "application/json") : null;
            }

            @Override
            public ReadStream<Buffer> body() {
                return body0;
            }

            @Override
            public void cancel() {
                body0.cancel();
            }
        };
        return new UpstreamCall() {
            @Override
            public Future<UpstreamResponse> response() {
                return Future.succeededFuture(response);
            }

            @Override
            public void cancel() {
                body0.cancel();
            }
        };
    }

    private ObjectNode whole(Endpoint endpoint, String id, long created, String model, long prompt, long completion) {
        ObjectNode response = JSON.createObjectNode();
        response.put("id", id);
        response.put("object", endpoint == Endpoint.CHAT ? "chat.completion" : "text_completion");
        response.put("created", created);
        response.put("model", model);
        ObjectNode choice = response.putArray("choices").addObject();
        choice.put("index", 0);
        if (endpoint == Endpoint.CHAT) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
        } else {
            choice.put("text", content);
        }
        choice.put("finish_reason", "stop");
        usage(response, prompt, completion);
        return response;
    }

    private List<Buffer> streamed(Endpoint endpoint, String id, long created, String model, long prompt,
                                  long completion) {
        List<Buffer> chunks = new ArrayList<>();
        String[] words = content.split("(?<=\\s)");
        for (int i = 0; i < words.length; i++) {
            ObjectNode chunk = chunkHead(endpoint, id, created, model);
            ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
            choice.put("index", 0);
            if (endpoint == Endpoint.CHAT) {
                ObjectNode delta = choice.putObject("delta");
                if (i == 0) delta.put("role", "assistant");
                delta.put("content", words[i]);
            } else {
                choice.put("text", words[i]);
            }
            choice.putNull("finish_reason");
            chunks.add(sse(chunk));
        }
        ObjectNode last = chunkHead(endpoint, id, created, model);
        ObjectNode choice = ((ArrayNode) last.get("choices")).addObject();
        choice.put("index", 0);
        if (endpoint == Endpoint.CHAT) choice.putObject("delta");
        else choice.put("text", "");
        choice.put("finish_reason", "stop");
        usage(last, prompt, completion);
        chunks.add(sse(last));
        chunks.add(Buffer.buffer("data: [DONE]\n\n"));
        return chunks;
    }

    private static ObjectNode chunkHead(Endpoint endpoint, String id, long created, String model) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", endpoint == Endpoint.CHAT ? "chat.completion.chunk" : "text_completion");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.putArray("choices");
        return chunk;
    }

    private static void usage(ObjectNode response, long prompt, long completion) {
        ObjectNode usage = response.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
    }

    private static Buffer sse(ObjectNode chunk) {
        return Buffer.buffer("data: " + chunk + "\n\n");
    }
}
