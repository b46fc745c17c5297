package dev.triage.http.server;

import dev.triage.core.GroupSnapshot;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away at any moment of its call leaves nothing behind: no waiting ticket, no lease, no
 * upstream request, and the node serves the next call as if nothing happened.
 */
class ClientDisconnectTest {

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub().config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                  max_parallel_requests: 1
                  rpm: 1000
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            """);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A raw connection sends a call and is left open, to be closed by the test. */
    private RawHttp send(String body) {
        RawHttp client = RawHttp.connect(rig.node().port());
        client.send("POST", "/v1/chat/completions", bytes(body), "content-type", "application/json");
        return client;
    }

    private void awaitNothingHeld() {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            GroupSnapshot snapshot = rig.node().snapshot("m");
            assertThat(snapshot.waiting()).as("waiting tickets").isEmpty();
            assertThat(snapshot.inFlight()).as("in flight").isZero();
            assertThat(snapshot.leases()).as("leases").isEmpty();
            assertThat(rig.node().router().activeCalls()).as("router calls").isZero();
        });
    }

    private void servesNormallyAfterwards() {
        rig.stub().respond(call -> Reply.ok());
        int before = rig.stub().calls().size();
        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "afterwards"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rig.stub().calls()).hasSize(before + 1);
        assertThat(rig.stub().calls().get(before).tag()).isEqualTo("afterwards");
        rig.node().awaitIdle("m");
    }

    @Test
    void aClientLeavingWhileQueuedCancelsItsTicketAtOnce() {
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        RawHttp leaver = send(chat("m", "leaver"));
        rig.node().awaitWaiting("m", 1);

        leaver.close();

        // at once: long before the holder's slot frees up, and without waiting for a reconcile
        await().atMost(Duration.ofMillis(2_000)).pollInterval(Duration.ofMillis(5))
                .until(() -> rig.node().snapshot("m").waiting().isEmpty() && rig.node().router().activeCalls() == 1);
        assertThat(rig.node().snapshot("m").inFlight()).as("the holder's lease").isEqualTo(1);
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        awaitNothingHeld();
        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::tag).containsExactly("holder");
        servesNormallyAfterwards();
    }

    @Test
    void withCancelOnDisconnectOffAGoneClientsTicketWaitsItsTurnAndIsReturnedUnused() {
        rig.start("""
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
                  cancel_on_disconnect: false
                """);
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        RawHttp leaver = send(chat("m", "leaver"));
        rig.node().awaitWaiting("m", 1);

        leaver.close();

        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> rig.node().snapshot("m").waiting().size() == 1);
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        awaitNothingHeld();
        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::tag).containsExactly("holder");
        servesNormallyAfterwards();
    }

    @Test
    void aClientLeavingBeforeTheFirstByteFreesItsSlotAsNotDispatched() {
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
        RawHttp leaver = send(chat("m", "leaver"));
        rig.stub().awaitCall(0);
        assertThat(rig.node().snapshot("m").inFlight()).isEqualTo(1);

        leaver.close();

        awaitNothingHeld();
        assertThat(rig.node().snapshot("m").load("dep-a").rpmUsed()).as("the rpm unit is refunded").isZero();
        rig.release().complete(null);
        servesNormallyAfterwards();
    }

    @Test
    void aClientLeavingBeforeTheFirstByteCancelsTheUpstreamRequest() {
        // No response head has arrived yet: the request itself must be reset, else it runs on after its slot was
        // freed, and the upstream holds more than max_parallel_requests calls.
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
        RawHttp leaver = send(chat("m", "leaver"));
        StubUpstream.Call abandoned = rig.stub().awaitCall(0);

        leaver.close();

        awaitNothingHeld(); // the slot is free for the next call...
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .alias("the abandoned upstream request is cancelled (else a next call on the freed slot makes two"
                        + " at once on a max_parallel_requests: 1 deployment)")
                .until(() -> abandoned.closedEarly().isDone());
        rig.release().complete(null);
        servesNormallyAfterwards();
    }

    @Test
    void aClientLeavingMidStreamEndsTheUpstreamStreamAndFreesItsSlot() {
        rig.stub().respondAlways(Reply.ok().chunks(5).holdAfter(1, rig.release()));
        RawHttp leaver = send(chat("m", "leaver", "\"stream\":true"));
        RawHttp.Response head = leaver.readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(leaver.readChunksUntil("w0")).contains("data: ");
        StubUpstream.Call streaming = rig.stub().awaitCall(0);
        assertThat(streaming.closedEarly()).isNotDone();

        leaver.close();

        await().atMost(Duration.ofSeconds(2)).until(() -> streaming.closedEarly().isDone());
        awaitNothingHeld();
        servesNormallyAfterwards();
    }
}
