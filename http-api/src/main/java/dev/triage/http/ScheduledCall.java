package dev.triage.http;

import dev.triage.config.DeploymentSettings;
import dev.triage.config.ModelGroupSettings;
import dev.triage.core.Admission;
import dev.triage.core.SchedulingEvent;
import dev.triage.core.TicketRefusedException;
import dev.triage.core.Usage;
import dev.triage.core.spi.StoreHealth;
import dev.triage.http.upstream.UpstreamCall;
import dev.triage.http.upstream.UpstreamResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One request's life on this node: queued as a ticket, granted, forwarded (retried elsewhere on failure
 * before its first byte reaches the client), answered exactly once, its lease released exactly once.
 *
 * <p>Everything runs on the request's Vert.x context; the scheduler's futures are brought back onto it.
 */
public final class ScheduledCall {

    private enum Phase { QUEUED, CALLING, STREAMING, DONE }

    static final long QUEUE_FULL_RETRY_AFTER_SECONDS = 1;

    private final Router router;
    private final ServedConfig served;
    private final CompletionRequest request;
    private final ResponseSink sink;
    private final String requestId;
    private final Context context;
    private final long startNanos = System.nanoTime();

    private Phase phase = Phase.QUEUED;
    private CompletableFuture<Admission> pending;
    private Admission admission;
    private boolean leaseOpen;
    private UpstreamCall call;
    private UpstreamResponse upstream;
    private long timer = -1;
    private int attempt;
    private int upstreamCalls;
    private GroupPace pace;
    private boolean waitCounted;
    private long heldBodyBytes;
    private long waitedMillis = -1;
    private String deploymentId;
    private int status;
    private boolean counted;

    ScheduledCall(Router router, CompletionRequest request, ResponseSink sink, String requestId, Context context) {
        this.router = router;
        this.served = router.served();
        this.request = request;
        this.sink = sink;
        this.requestId = requestId;
        this.context = context;
    }

    void start() {
        ModelGroupSettings group = served.group(request.model());
        if (group == null) {
            answerError(ApiException.modelNotFound(request.model()));
            return;
        }
        if (router.draining()) {
            answerError(ApiException.unavailable("this node is shutting down; retry on another node"));
            return;
        }
        StoreHealth health = router.storeHealth();
        if (!health.healthy()) {
            answerError(ApiException.unavailable("this node cannot admit: " + health.problem().orElseThrow()
                    + "; retry on another node"));
            return;
        }
        long bytes = request.bodyBytes();
        if (router.waitingBodyBytes().addAndGet(bytes) > router.limits().maxWaitingBodyBytes()) {
            router.waitingBodyBytes().addAndGet(-bytes);
            answerError(ApiException.queueFull("this node already holds its cap of waiting request bodies",
                    QUEUE_FULL_RETRY_AFTER_SECONDS));
            return;
        }
        heldBodyBytes = bytes;
        router.inFlightCalls().incrementAndGet();
        counted = true;
        sink.onClose(this::clientGone);
        long deadline = router.scheduler().now() + served.queueTimeout().toMillis();
        CompletableFuture<Admission> grant;
        try {
            grant = router.scheduler().acquire(group.name(), request.priority(), request.tokenEstimate(), deadline);
        } catch (RuntimeException e) {
            answerError(ApiException.unavailable("the scheduler refused the request: " + e.getMessage()));
            return;
        }
        pace = served.pace(group.name());
        pace.startedWaiting();
        waitCounted = true;
        await(grant);
    }

    private void await(CompletableFuture<Admission> grant) {
        pending = grant;
        Future.fromCompletionStage(grant, context).onComplete(this::onGrant);
    }

    private void onGrant(AsyncResult<Admission> result) {
        freeBodyBytes();
        if (result.failed()) {
            if (phase == Phase.DONE) return;
            endWait();
            answerError(refusal(result.cause()));
            return;
        }
        admission = result.result();
        leaseOpen = true;
        pace.granted(router.scheduler().now());
        endWait();
        if (phase == Phase.DONE || sink.closed()) {
            release(Usage.notDispatched());
            return;
        }
        StoreHealth health = router.storeHealth();
        if (!health.healthy()) {
            // The grant may be one the cluster took back while this node was cut off or paused: using it could
            // put one call too many on the deployment. The client can retry on a node that is in contact.
            release(Usage.notDispatched());
            answerError(ApiException.unavailable("this node stopped admitting while the request waited: "
                    + health.problem().orElseThrow() + "; retry on another node"));
            return;
        }
        callUpstream();
    }

    private ApiException refusal(Throwable cause) {
        Throwable error = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (error instanceof TicketRefusedException refused) {
            return switch (refused.reason()) {
                case QUEUE_TIMEOUT -> ApiException.queueTimeout(pace.retryAfterSeconds(router.scheduler().now()));
                case QUEUE_FULL -> ApiException.queueFull(
                        "the queue for this model is full and this request does not outrank its last ticket",
                        QUEUE_FULL_RETRY_AFTER_SECONDS);
                case NEVER_FITS -> ApiException.invalidRequest(
                        "the request's token estimate is over every deployment's tpm limit", "max_tokens");
                case NODE_DROPPED, UNAVAILABLE, SHUTTING_DOWN -> ApiException.unavailable(refused.getMessage());
            };
        }
        if (error instanceof CancellationException) return ApiException.unavailable("request cancelled");
        return ApiException.unavailable("scheduler error: " + error);
    }

    /** The first wait is over, by a grant or not: how long it took is what the client waited in the queue. */
    private void endWait() {
        if (waitedMillis < 0) waitedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        if (waitCounted) {
            waitCounted = false;
            pace.stoppedWaiting();
        }
    }

    private void callUpstream() {
        phase = Phase.CALLING;
        upstreamCalls++;
        DeploymentSettings deployment = served.deployment(admission.lease().deploymentId());
        deploymentId = deployment.id();
        int thisAttempt = attempt;
        armTimer(served.upstreamTimeout(deployment).toMillis(), thisAttempt);
        SchedulingEvent.record(SchedulingEvent.Stage.UPSTREAM_CALLED, admission.lease());
        call = served.upstream(deployment.id()).send(request.endpoint(),
                request.upstreamBody(SchedulerSettings.upstreamModel(deployment.model())), request.stream());
        call.response().onComplete(result -> {
                    if (thisAttempt != attempt || phase != Phase.CALLING) {
                        if (result.succeeded()) result.result().cancel();
                        return;
                    }
                    if (result.failed()) {
                        attemptFailed(Usage.failed(), ApiException.badGateway(
                                "upstream " + deploymentId + " could not be reached: " + result.cause().getMessage()));
                    } else {
                        onUpstream(result.result());
                    }
                });
    }

    private void onUpstream(UpstreamResponse response) {
        upstream = response;
        int code = response.status();
        if (code == 429) {
            long retryAfter = retryAfterMillis(response.header("retry-after"));
            discard(response);
            attemptFailed(Usage.rateLimited(retryAfter), new ApiException(429, "rate_limit_error",
                    "upstream_rate_limited", null, "every deployment tried answered 429",
                    Math.max(1, (retryAfter + 999) / 1000)));
        } else if (code >= 500) {
            discard(response);
            attemptFailed(Usage.failed(), ApiException.badGateway("upstream " + deploymentId + " answered " + code));
        } else if (code < 300 && request.stream()) {
            stream(response);
        } else {
            collect(response);
        }
    }

    /** A whole answer: read it (bounded), release with its usage, answer. 4xx are the request's own: passed on. */
    private void collect(UpstreamResponse response) {
        Buffer body = Buffer.buffer();
        int thisAttempt = attempt;
        ReadStream<Buffer> stream = response.body();
        stream.handler(chunk -> {
            if (body.length() + chunk.length() > router.limits().maxUpstreamBodyBytes()) {
                // Report first: the reset below breaks the stream, and that is not the reason to give.
                if (thisAttempt == attempt && phase == Phase.CALLING) {
                    attemptFailed(Usage.failed(), ApiException.badGateway("upstream answer is over the size limit"));
                }
                response.cancel();
                return;
            }
            body.appendBuffer(chunk);
        });
        stream.exceptionHandler(error -> {
            if (thisAttempt == attempt && phase == Phase.CALLING) {
                attemptFailed(Usage.failed(), ApiException.badGateway("upstream answer broke off: " + error));
            }
        });
        stream.endHandler(v -> {
            if (thisAttempt != attempt || phase != Phase.CALLING) return;
            SchedulingEvent.record(SchedulingEvent.Stage.UPSTREAM_ENDED, admission.lease());
            cancelTimer();
            status = response.status();
            Map<String, String> headers = headers();
            headers.put("content-type", contentType(response, "application/json"));
            finish();
            sink.whole(status, headers, body);
            // After the answer is written, so that the release never delays it.
            UsageScanner usage = new UsageScanner();
            usage.whole(body);
            release(Usage.succeeded(status < 300 ? usage.totalTokens(request.tokenEstimate()) : 0));
        });
        stream.resume();
    }

    /** Server-sent events passed through as they arrive; a slow client slows the upstream read. */
    private void stream(UpstreamResponse response) {
        phase = Phase.STREAMING;
        status = response.status();
        Map<String, String> headers = headers();
        headers.put("content-type", contentType(response, "text/event-stream"));
        headers.put("cache-control", "no-cache");
        sink.begin(status, headers);
        UsageScanner usage = new UsageScanner();
        long idleTimeout = served.upstreamTimeout(served.deployment(deploymentId)).toMillis();
        ReadStream<Buffer> body = response.body();
        body.handler(chunk -> {
            if (phase != Phase.STREAMING) return;
            armTimer(idleTimeout, attempt);
            usage.scan(chunk);
            sink.write(chunk);
            if (sink.writeQueueFull()) {
                body.pause();
                sink.onDrain(body::resume);
            }
        });
        body.exceptionHandler(error -> {
            // Cut off mid-stream: the client cannot get a status any more, so it gets an error event, and the
            // failure counts against the deployment as any other would.
            if (phase == Phase.STREAMING) {
                sink.write(Buffer.buffer("data: " + ApiException.badGateway("upstream stream broke off: "
                        + error.getMessage()).toJson() + "\n\n"));
            }
            endStream(new Usage(usage.totalTokens(request.tokenEstimate()), Usage.Completion.FAILED, 0));
        });
        body.endHandler(v -> endStream(Usage.succeeded(usage.totalTokens(request.tokenEstimate()))));
        armTimer(idleTimeout, attempt);
        body.resume();
    }

    private void endStream(Usage usage) {
        if (phase != Phase.STREAMING) return;
        cancelTimer();
        finish();
        sink.end();
        release(usage);
    }

    /** Before the first byte reached the client: retry elsewhere if allowed, else answer the error. */
    private void attemptFailed(Usage usage, ApiException error) {
        cancelTimer();
        if (router.stopped()) {
            // The drain timeout closed the upstream client under this call: say so, not what the closing looked like.
            answerError(ApiException.unavailable("this node stopped before the upstream answered (its drain timeout"
                    + " ended); retry on another node"));
            release(usage);
            return;
        }
        boolean deadlinePassed = router.scheduler().now() >= admission.ticket().deadline();
        if (attempt < served.numRetries() && !sink.closed() && !deadlinePassed) {
            attempt++;
            phase = Phase.QUEUED;
            leaseOpen = false;
            upstream = null;
            call = null;
            await(router.scheduler().retry(admission, usage));
            return;
        }
        answerError(error);
        release(usage);
    }

    private void armTimer(long millis, int forAttempt) {
        cancelTimer();
        timer = router.vertx().setTimer(Math.max(1, millis), id -> {
            timer = -1;
            if (forAttempt != attempt) return;
            // Decide first, cancel after: the cancel fails the old call at once, and that is not the reason.
            UpstreamCall timedOutCall = call;
            UpstreamResponse timedOutResponse = upstream;
            if (phase == Phase.CALLING) {
                attemptFailed(Usage.failed(), ApiException.gatewayTimeout(
                        "upstream " + deploymentId + " did not answer within its timeout"));
            } else if (phase == Phase.STREAMING) {
                sink.write(Buffer.buffer("data: " + ApiException.gatewayTimeout("upstream " + deploymentId
                        + " stopped sending within its timeout").toJson() + "\n\n"));
                endStream(Usage.failed());
            }
            cancel(timedOutCall, timedOutResponse);
        });
    }

    private void cancelTimer() {
        if (timer >= 0) router.vertx().cancelTimer(timer);
        timer = -1;
    }

    /** The client went away: cancel whatever this call is doing, release what it holds, answer no one. */
    private void clientGone() {
        switch (phase) {
            case QUEUED -> {
                endWait();
                phase = Phase.DONE;
                if (pending != null && served.cancelOnDisconnect()) pending.cancel(true);
                finish();
            }
            case CALLING -> {
                cancelTimer();
                release(Usage.notDispatched());
                finish();
                cancel(call, upstream);
            }
            case STREAMING -> {
                cancelTimer();
                release(Usage.succeeded(request.tokenEstimate()));
                finish();
                cancel(call, upstream);
            }
            case DONE -> {
            }
        }
    }

    /** Abandons an upstream call at whatever stage it is: before its answer, or mid-body. */
    private static void cancel(UpstreamCall call, UpstreamResponse response) {
        if (call != null) call.cancel();
        if (response != null) response.cancel();
    }

    private void release(Usage usage) {
        if (!leaseOpen) return;
        leaseOpen = false;
        router.scheduler().release(admission, usage);
    }

    private void answerError(ApiException error) {
        if (phase == Phase.DONE) return;
        status = error.status();
        Map<String, String> headers = headers();
        if (error.retryAfterSeconds() > 0) headers.put("retry-after", Long.toString(error.retryAfterSeconds()));
        finish();
        sink.fail(error, headers);
    }

    private void finish() {
        phase = Phase.DONE;
        freeBodyBytes();
        if (counted) {
            counted = false;
            router.inFlightCalls().decrementAndGet();
        }
    }

    private void freeBodyBytes() {
        if (heldBodyBytes > 0) {
            router.waitingBodyBytes().addAndGet(-heldBodyBytes);
            heldBodyBytes = 0;
        }
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-request-id", requestId);
        headers.put("x-litellm-request-prioritization-used", "true");
        headers.put("x-litellm-priority", Long.toString(request.priority()));
        if (waitedMillis >= 0) headers.put("x-triage-queue-wait-ms", Long.toString(waitedMillis));
        if (deploymentId != null) headers.put("x-litellm-model-id", deploymentId);
        return headers;
    }

    private static String contentType(UpstreamResponse response, String fallback) {
        String type = response.header("content-type");
        return type != null ? type : fallback;
    }

    private static void discard(UpstreamResponse response) {
        response.body().handler(chunk -> { }).exceptionHandler(error -> { }).endHandler(v -> { });
        response.body().resume();
    }

    /** Retry-After in seconds (the usual form) or an HTTP date we do not parse (then the group cooldown). */
    static long retryAfterMillis(String header) {
        if (header == null) return 0;
        try {
            double seconds = Double.parseDouble(header.trim());
            return seconds > 0 ? (long) Math.min(seconds * 1000, 3_600_000) : 0;
        } catch (NumberFormatException notSeconds) {
            return 0;
        }
    }

    // ---- what the access log reads ----

    public String requestId() {
        return requestId;
    }

    public long priority() {
        return request.priority();
    }

    /**
     * Milliseconds the call waited in the queue for its first grant, or until it stopped waiting without one (a
     * queue timeout, a client that left); -1 if it never queued.
     */
    public long waitedMillis() {
        return waitedMillis;
    }

    public String deploymentId() {
        return deploymentId;
    }

    /** Calls sent upstream for this request: 0 if it never got that far, more than 1 after retries. */
    public int attempts() {
        return upstreamCalls;
    }
}
