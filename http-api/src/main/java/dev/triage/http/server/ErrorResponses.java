package dev.triage.http.server;

import dev.triage.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/** Writes an {@link ApiException} as OpenAI's error envelope; never a stack trace. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /** Completes once the answer is written (at once if the response had already ended). */
    static Future<Void> send(HttpServerResponse response, ApiException error, Map<String, String> headers) {
        if (response.ended() || response.closed()) return Future.succeededFuture();
        if (response.headWritten()) {
            // A stream already under way cannot change its status: end it where it is.
            return response.end();
        }
        headers.forEach(response::putHeader);
        if (error.retryAfterSeconds() > 0) response.putHeader("retry-after", Long.toString(error.retryAfterSeconds()));
        return response.setStatusCode(error.status())
                .putHeader("content-type", "application/json")
                .end(error.toJson().toString());
    }

    static Future<Void> send(HttpServerResponse response, ApiException error) {
        return send(response, error, Map.of());
    }
}
