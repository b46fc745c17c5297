package dev.triage.node.hazelcast;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds how many calls this member has out in the cluster at once; the rest wait here, first come first sent.
 * A burst of thousands of calls to one group would otherwise queue on its partition thread, where a call that
 * waits longer than Hazelcast's call timeout fails, although nothing is wrong but the queue. Waiting here costs
 * the same time and fails nothing.
 */
final class InFlightWindow {

    private final Semaphore room;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    InFlightWindow(int size) {
        this.room = new Semaphore(size);
    }

    /** Sends the call when there is room; the answer completes as the call's does. */
    <T> CompletionStage<T> send(Supplier<CompletionStage<T>> call) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        waiting.add(() -> {
            CompletionStage<T> sent;
            try {
                sent = call.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((value, error) -> {
                room.release();
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(value);
                }
                drain();
            });
        });
        drain();
        return answer;
    }

    private void drain() {
        while (!waiting.isEmpty() && room.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                room.release();
                // another thread took it; one more look, in case a call arrived between its check and ours
                continue;
            }
            next.run();
        }
    }
}
