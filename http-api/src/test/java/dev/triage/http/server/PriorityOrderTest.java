package dev.triage.http.server;

import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** While the only slot is taken, calls wait as tickets and reach the upstream by (priority, arrival). */
class PriorityOrderTest {

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub().config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                  max_parallel_requests: 1
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            """);

    @Test
    void queuedCallsReachTheUpstreamInPriorityOrderAndFirstComeFirstServedWithinAPriority() {
        CompletableFuture<Void> releaseHolder = new CompletableFuture<>();
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(releaseHolder) : Reply.ok().after(30));
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder", "\"priority\":0"));
        rig.stub().awaitCall(0);

        long[] priorities = {5, 1, 3, 1, 5, 0, 3, -2, 1};
        List<String> tags = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            String tag = "p" + priorities[i] + "-" + i;
            tags.add(tag);
            queued.add(rig.node().postAsync("/v1/chat/completions", chat("m", tag, "\"priority\":" + priorities[i])));
            rig.node().awaitWaiting("m", i + 1); // arrival order is the order sent
        }
        assertThat(rig.stub().calls()).hasSize(1);

        releaseHolder.complete(null);

        assertThat(holder.join().statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> call : queued) assertThat(call.join().statusCode()).isEqualTo(200);
        List<String> expected = IntStream.range(0, priorities.length).boxed()
                .sorted(Comparator.comparingLong(i -> priorities[i])) // stable: arrival breaks ties
                .map(tags::get).toList();
        assertThat(rig.stub().calls().stream().skip(1).map(StubUpstream.Call::tag).toList()).isEqualTo(expected);
        rig.node().awaitIdle("m");
    }
}
