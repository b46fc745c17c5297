package dev.triage.node.hazelcast;

import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import dev.triage.core.rules.GroupState;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs an entry processor on the member that owns a group's key and hands its answer out on an executor of ours.
 * Hazelcast's {@code submitToKey} wraps its invocation in a future that passes every answer on through
 * Hazelcast's default async executor, which on a machine with two cores starts a new thread each time (as
 * CompletableFuture's does); the invocation's own future, reached through the map proxy, does not.
 */
final class KeyInvoker {

    private final IMap<String, GroupState> states;
    private final Executor answers;

    KeyInvoker(IMap<String, GroupState> states, Executor answers) {
        this.states = states;
        this.answers = answers;
    }

    @SuppressWarnings("unchecked")
    <T> CompletionStage<T> invoke(String group, EntryProcessor<String, GroupState, ?> processor) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (states instanceof MapProxyImpl<String, GroupState> proxy) {
            SerializationService serialization = proxy.getNodeEngine().getSerializationService();
            proxy.executeOnKeyInternal(group, processor).whenCompleteAsync((value, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    try {
                        answer.complete((T) serialization.toObject(value));
                    } catch (RuntimeException unreadable) {
                        answer.completeExceptionally(unreadable);
                    }
                }
            }, answers);
        } else {
            // Another kind of proxy (none today): the public API, whose answers also reach our executor.
            states.submitToKey(group, processor).whenCompleteAsync((value, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete((T) value);
                }
            }, answers);
        }
        return answer;
    }
}
