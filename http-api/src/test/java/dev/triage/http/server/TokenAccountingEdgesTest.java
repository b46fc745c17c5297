package dev.triage.http.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.http.HttpLimits;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token counts come from clients ({@code max_tokens}) and upstreams ({@code usage}); odd ones must neither
 * hang a call nor keep its slot.
 */
class TokenAccountingEdgesTest {

    private static final String CONFIG = """
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                  max_parallel_requests: 2
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            """;

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub().config(CONFIG);

    private HttpResponse<String> post(String body) throws Exception {
        return rig.node().postAsync("/v1/chat/completions", body).get(5, TimeUnit.SECONDS);
    }

    private static ObjectNode negativeUsage() {
        ObjectNode usage = JsonNodeFactory.instance.objectNode();
        usage.put("prompt_tokens", 3);
        usage.put("completion_tokens", -8);
        usage.put("total_tokens", -5);
        return usage;
    }

    @Test
    void anUpstreamReportingNegativeUsageIsStillAnsweredAndItsSlotFreed() throws Exception {
        rig.stub().respondAlways(Reply.ok().withUsage(negativeUsage()));

        HttpResponse<String> response = post(chat("m", "hi"));

        assertThat(response.statusCode()).isEqualTo(200);
        rig.node().awaitIdle("m");
    }

    @Test
    void aStreamReportingNegativeUsageStillEndsAndItsSlotIsFreed() throws Exception {
        rig.stub().respondAlways(Reply.ok().withUsage(negativeUsage()));

        HttpResponse<String> response = post(chat("m", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        rig.node().awaitIdle("m");
    }

    @Test
    void maxTokensAtTheTopOfThe64BitRangeIsRefusedOrServedButNeverHangs() throws Exception {
        // The prompt's tokens plus max_tokens overflow 64 bits unless the estimate saturates; a ticket the scheduler
        // refuses must still answer the call and leave it uncounted in Router.activeCalls().
        rig.stub().respondAlways(Reply.ok().withoutUsage());

        HttpResponse<String> response = post(chat("m", "hi", "\"max_tokens\":" + Long.MAX_VALUE));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(response.statusCode()).as(response.body()).isIn(200, 400);
            soft.assertThat(rig.node().router().activeCalls()).as("calls the router still counts as active").isZero();
        });
        rig.node().awaitIdle("m");
    }

    @Test
    void callsRefusedForTheirMaxTokensDoNotUseUpTheNodesBudgetForWaitingBodies() throws Exception {
        // A call the scheduler refuses must give back the bytes its body held against the node's cap, else a few
        // such calls and the node answers every call with 429 queue_full.
        try (TestNode small = TestNode.start(rig.withApiBases(CONFIG),
                HttpLimits.DEFAULTS.withMaxWaitingBodyBytes(4096))) {
            String template = chat("m", "", "\"max_tokens\":" + Long.MAX_VALUE);
            String overflowing = chat("m", "x".repeat(2040 - template.length()), "\"max_tokens\":" + Long.MAX_VALUE);
            assertThat(overflowing).hasSize(2040); // two fit under the 4096-byte cap, then ~50 bytes are left
            for (int i = 0; i < 2; i++) small.postAsync("/v1/chat/completions", overflowing).get(5, TimeUnit.SECONDS);

            HttpResponse<String> normal = small.post("/v1/chat/completions", chat("m", "hi"));

            assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
        }
    }

    @Test
    void aHugeButValidMaxTokensIsServedAndReleased() throws Exception {
        rig.stub().respondAlways(Reply.ok().withoutUsage());

        HttpResponse<String> response = post(chat("m", "hi", "\"max_tokens\":" + (1L << 40)));

        assertThat(response.statusCode()).isEqualTo(200);
        rig.node().awaitIdle("m");
    }
}
