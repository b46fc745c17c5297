package dev.triage.http.upstream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.List;

/** A read stream over buffers already in memory, delivered one per event-loop turn, honouring pause. */
final class BufferListStream implements ReadStream<Buffer> {

    private final Context context;
    private final ArrayDeque<Buffer> pending;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private long demand;
    private boolean scheduled;
    private boolean ended;
    private boolean cancelled;

    BufferListStream(Context context, List<Buffer> chunks) {
        this.context = context;
        this.pending = new ArrayDeque<>(chunks);
    }

    void cancel() {
        cancelled = true;
        pending.clear();
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.handler = handler;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        schedule();
        return this;
    }

    private void schedule() {
        if (scheduled || ended) return;
        scheduled = true;
        context.runOnContext(v -> {
            scheduled = false;
            deliver();
        });
    }

    private void deliver() {
        if (cancelled || ended || handler == null || demand == 0) return;
        Buffer next = pending.poll();
        if (next != null) {
            if (demand != Long.MAX_VALUE) demand--;
            handler.handle(next);
            schedule();
        } else if (endHandler != null) {
            ended = true;
            endHandler.handle(null);
        }
    }
}
