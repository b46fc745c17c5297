package dev.triage.http.upstream;

import io.vertx.core.Future;

/** A call on its way upstream: cancellable from the moment it is sent, before any answer arrives. */
public interface UpstreamCall {

    /** Completes when the status and headers arrive; fails on a connection error. */
    Future<UpstreamResponse> response();

    /** Abandons the call at whatever stage it is: the request is reset, or never sent. */
    void cancel();
}
