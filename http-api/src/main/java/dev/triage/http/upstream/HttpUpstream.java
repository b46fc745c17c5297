package dev.triage.http.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.http.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.util.Optional;

/** An OpenAI-compatible API at {@code api_base}, called through the node's pooled, non-blocking clients. */
public final class HttpUpstream implements Upstream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamClients clients;
    private final String base;
    private final Optional<String> apiKey;

    public HttpUpstream(UpstreamClients clients, URI apiBase, Optional<String> apiKey) {
        this.clients = clients;
        String text = apiBase.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.apiKey = apiKey;
    }

    @Override
    public UpstreamCall send(Endpoint endpoint, ObjectNode body, boolean stream) {
        Buffer payload;
        try {
            payload = Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return new Call(Future.failedFuture(e));
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(base + endpoint.upstreamPath())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json");
        apiKey.ifPresent(key -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key));
        Call call = new Call();
        // Paused until the caller has set its handlers, so that no early chunk is lost.
        call.response = clients.current().request(options).compose(request -> {
            if (call.cancelled) {
                request.reset();
                return Future.failedFuture("cancelled before it was sent");
            }
            call.request = request;
            return request.send(payload).map(response -> new Response(request, response.pause()));
        });
        return call;
    }

    /** Holds the request as soon as there is one, so that a cancel reaches it even before any answer. */
    private static final class Call implements UpstreamCall {
        private Future<UpstreamResponse> response;
        private volatile HttpClientRequest request;
        private volatile boolean cancelled;

        Call() {
        }

        Call(Future<UpstreamResponse> response) {
            this.response = response;
        }

        @Override
        public Future<UpstreamResponse> response() {
            return response;
        }

        @Override
        public void cancel() {
            cancelled = true;
            HttpClientRequest sent = request;
            if (sent != null) sent.reset();
        }
    }

    private record Response(HttpClientRequest request, HttpClientResponse response) implements UpstreamResponse {

        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public String header(String name) {
            return response.getHeader(name);
        }

        @Override
        public ReadStream<Buffer> body() {
            return response;
        }

        @Override
        public void cancel() {
            request.reset();
        }
    }
}
