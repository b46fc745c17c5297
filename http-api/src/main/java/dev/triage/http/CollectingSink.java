package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/** The Java router's sink: the whole answer parsed as JSON, or the error as an {@link ApiException}. */
final class CollectingSink implements ResponseSink {

    private final Promise<JsonNode> answer;
    private final Buffer streamed = Buffer.buffer();
    private int status;

    CollectingSink(Promise<JsonNode> answer) {
        this.answer = answer;
    }

    @Override
    public boolean closed() {
        return false;
    }

    @Override
    public void onClose(Runnable action) {
        // an in-process caller never disconnects
    }

    @Override
    public void whole(int status, Map<String, String> headers, Buffer body) {
        complete(status, body);
    }

    @Override
    public void fail(ApiException error, Map<String, String> headers) {
        answer.tryFail(error);
    }

    @Override
    public void begin(int status, Map<String, String> headers) {
        this.status = status;
    }

    @Override
    public void write(Buffer chunk) {
        streamed.appendBuffer(chunk);
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void onDrain(Runnable action) {
        action.run();
    }

    @Override
    public void end() {
        complete(status, streamed);
    }

    private void complete(int status, Buffer body) {
        try {
            JsonNode json = CompletionRequest.JSON.readTree(body.getBytes());
            if (status >= 200 && status < 300) {
                answer.tryComplete(json);
            } else {
                answer.tryFail(new ApiException(status, json.path("error").path("type").asText("api_error"),
                        json.path("error").path("code").asText("upstream_error"), null,
                        json.path("error").path("message").asText("upstream answered " + status), 0));
            }
        } catch (Exception e) {
            answer.tryFail(ApiException.badGateway("upstream answer is not JSON: " + e.getMessage()));
        }
    }
}
