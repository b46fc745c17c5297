package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body limits of {@code general_settings}: {@code max_request_size_mb} (LiteLLM's) refuses a larger body with
 * 413, and {@code max_waiting_body_mb} (Triage's) caps the bytes the waiting calls of one node hold: past it, 429
 * {@code queue_full} with Retry-After.
 */
class BodyLimitsTest {

    /** 0.001 MB: 1048 bytes. */
    private static final int BODY_LIMIT = 1048;
    /** 0.003 MB: 3145 bytes, three bodies of {@link #BODY} bytes and no more. */
    private static final int WAITING_CAP = 3145;
    private static final int BODY = 1000;

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
            general_settings:
              max_request_size_mb: 0.001
              max_waiting_body_mb: 0.003
            """);

    @AfterEach
    void idle() {
        rig.release().complete(null);
        rig.node().awaitIdle("m");
    }

    /** A chat body of exactly {@code bytes} bytes, tagged {@code tag}. */
    private static String bodyOf(int bytes, String tag) {
        String padded = chat("m", tag + " ");
        return chat("m", tag + " " + "x".repeat(bytes - padded.length()));
    }

    @Test
    void aBodyOverTheConfiguredLimitIsRefusedWith413AndOneWithinItIsServed() {
        HttpResponse<String> over = rig.node().post("/v1/chat/completions", bodyOf(BODY_LIMIT + 1, "over"));
        HttpResponse<String> within = rig.node().post("/v1/chat/completions", bodyOf(BODY_LIMIT, "within"));

        JsonNode error = Envelope.assertError(over, 413, "request_too_large", null);
        assertThat(error.get("message").asText()).contains(BODY_LIMIT + " bytes");
        assertThat(within.statusCode()).as(within.body()).isEqualTo(200);
        assertThat(rig.stub().calls()).hasSize(1);
        assertThat(rig.stub().calls().get(0).tag()).startsWith("within ");
    }

    @Test
    void pastTheCapOfWaitingBodiesANewCallIsRefusedWith429QueueFull() {
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", bodyOf(BODY, "holder"));
        rig.stub().awaitCall(0);
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        for (int i = 1; i * BODY <= WAITING_CAP; i++) {
            queued.add(rig.node().postAsync("/v1/chat/completions", bodyOf(BODY, "queued-" + i)));
            rig.node().awaitWaiting("m", i);
        }
        assertThat(queued).hasSize(3);

        HttpResponse<String> refused = rig.node().post("/v1/chat/completions", bodyOf(BODY, "refused"));

        JsonNode error = Envelope.assertError(refused, 429, "queue_full", null);
        assertThat(error.get("message").asText()).contains("waiting request bodies");
        assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(rig.node().snapshot("m").waiting()).hasSize(3);
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        queued.forEach(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        assertThat(rig.stub().calls()).extracting(call -> call.tag().split(" ")[0])
                .containsExactly("holder", "queued-1", "queued-2", "queued-3");
    }
}
