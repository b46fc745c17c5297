package dev.triage.http.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** An upstream's answer once its status is known; the body arrives as a stream, with back-pressure. */
public interface UpstreamResponse {

    int status();

    /** A response header, or null. */
    String header(String name);

    ReadStream<Buffer> body();

    /** Abandon the call: the client went away or the call timed out. */
    void cancel();
}
