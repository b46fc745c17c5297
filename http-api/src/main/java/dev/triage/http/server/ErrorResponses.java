package dev.triage.http.server;

import dev.triage.http.ApiException;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/** Writes an {@link ApiException} as OpenAI's error envelope; never a stack trace. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static void send(HttpServerResponse response, ApiException error, Map<String, String> headers) {
        if (response.ended() || response.closed()) return;
        if (response.headWritten()) {
            // A stream already under way cannot change its status: end it where it is.
            response.end();
            return;
        }
        headers.forEach(response::putHeader);
        if (error.retryAfterSeconds() > 0) response.putHeader("retry-after", Long.toString(error.retryAfterSeconds()));
        response.setStatusCode(error.status())
                .putHeader("content-type", "application/json")
                .end(error.toJson().toString());
    }

    static void send(HttpServerResponse response, ApiException error) {
        send(response, error, Map.of());
    }
}
