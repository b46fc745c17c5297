package dev.triage.http;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * Where a scheduled call writes its answer: the HTTP response, or a buffer for the Java {@link Router}.
 * Every method is called on the call's Vert.x context, and exactly one of {@link #whole}, {@link #fail} or
 * {@link #begin}...{@link #end} happens per call.
 */
public interface ResponseSink {

    /** The client went away: nothing more can be written. */
    boolean closed();

    /** Runs once if the client goes away before the answer ends. */
    void onClose(Runnable action);

    /** The whole answer at once. */
    void whole(int status, Map<String, String> headers, Buffer body);

    /** An error answer in OpenAI's envelope. */
    void fail(ApiException error, Map<String, String> headers);

    /** Starts a streamed answer: status and headers go out now. */
    void begin(int status, Map<String, String> headers);

    void write(Buffer chunk);

    boolean writeQueueFull();

    /** Runs once when a full write queue has drained. */
    void onDrain(Runnable action);

    void end();
}
