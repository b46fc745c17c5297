package dev.triage.http.server;

import dev.triage.http.ApiException;
import dev.triage.http.ResponseSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/** A scheduled call's answer written to the client's HTTP response. */
final class HttpResponseSink implements ResponseSink {

    private final HttpServerResponse response;

    HttpResponseSink(HttpServerResponse response) {
        this.response = response;
    }

    @Override
    public boolean closed() {
        return response.closed();
    }

    @Override
    public void onClose(Runnable action) {
        response.closeHandler(v -> {
            if (!response.ended()) action.run();
        });
    }

    @Override
    public void whole(int status, Map<String, String> headers, Buffer body) {
        if (response.closed() || response.ended()) return;
        headers.forEach(response::putHeader);
        response.setStatusCode(status).end(body);
    }

    @Override
    public void fail(ApiException error, Map<String, String> headers) {
        ErrorResponses.send(response, error, headers);
    }

    @Override
    public void begin(int status, Map<String, String> headers) {
        if (response.closed()) return;
        headers.forEach(response::putHeader);
        response.setStatusCode(status).setChunked(true);
        response.writeHead();
    }

    @Override
    public void write(Buffer chunk) {
        if (!response.closed() && !response.ended()) response.write(chunk);
    }

    @Override
    public boolean writeQueueFull() {
        return !response.closed() && response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable action) {
        response.drainHandler(v -> action.run());
    }

    @Override
    public void end() {
        if (!response.closed() && !response.ended()) response.end();
    }
}
