package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One JSON line in the {@code dev.triage.access} log per request, however the request ends. */
class AccessLogTest {

    private static final List<String> MEMBERS =
            List.of("request_id", "route", "model", "priority", "wait_ms", "deployment", "status", "duration_ms");

    private final Logger accessLog = Logger.getLogger("dev.triage.access");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
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
    private Level levelBefore;

    @BeforeEach
    void captureTheAccessLog() {
        levelBefore = accessLog.getLevel();
        accessLog.setLevel(Level.INFO);
        accessLog.setUseParentHandlers(false);
        accessLog.addHandler(capture);
    }

    @AfterEach
    void restoreTheAccessLog() {
        accessLog.removeHandler(capture);
        accessLog.setUseParentHandlers(true);
        accessLog.setLevel(levelBefore);
    }

    /** The one line of this request (waits for it: the line is written once the response has ended). */
    private JsonNode lineOf(String requestId) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> !linesOf(requestId).isEmpty());
        List<JsonNode> found = linesOf(requestId);
        assertThat(found).as("access-log lines of %s", requestId).hasSize(1);
        JsonNode line = found.get(0);
        assertThat(line.fieldNames()).toIterable().as("members of %s", line).containsAll(MEMBERS);
        assertThat(line.get("route").asText()).isEqualTo("/v1/chat/completions");
        assertThat(line.get("duration_ms").isNumber()).as("duration_ms of %s", line).isTrue();
        return line;
    }

    private List<JsonNode> linesOf(String requestId) {
        return lines.stream().map(TestNode::json).filter(line -> line.path("request_id").asText().equals(requestId))
                .toList();
    }

    @Test
    void aServedCallIsLoggedWithItsModelPriorityWaitDeploymentAndStatus() {
        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"priority\":3"),
                "x-request-id", "served-1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode line = lineOf("served-1");
        assertThat(line.get("model").asText()).isEqualTo("m");
        assertThat(line.get("priority").asLong()).isEqualTo(3);
        assertThat(line.get("wait_ms").isIntegralNumber()).as("wait_ms of %s", line).isTrue();
        assertThat(line.get("wait_ms").asLong()).isNotNegative();
        assertThat(line.get("deployment").asText()).isEqualTo("dep-a");
        assertThat(line.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aRefusedCallIsLoggedWithItsStatusAndNullsForWhatItNeverReached() {
        HttpResponse<String> response = rig.node().post("/v1/chat/completions",
                chat("m", "hi", "\"priority\":\"high\""), "x-request-id", "refused-1");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode line = lineOf("refused-1");
        assertThat(line.get("status").asInt()).isEqualTo(400);
        for (String member : List.of("model", "priority", "wait_ms", "deployment")) {
            assertThat(line.get(member).isNull()).as("%s of %s", member, line).isTrue();
        }
        assertThat(rig.stub().calls()).isEmpty();
    }

    @Test
    void aClientThatLeavesWhileQueuedIsLoggedAs499WithItsWaitAndNoAttempt() throws Exception {
        rig.stub().respond(call -> Reply.ok().until(rig.release()));
        CompletableFuture<HttpResponse<String>> holder = rig.node().postAsync("/v1/chat/completions",
                chat("m", "holder"), "x-request-id", "holder-1");
        rig.stub().awaitCall(0);
        try (RawHttp leaver = RawHttp.connect(rig.node().port())) {
            leaver.send("POST", "/v1/chat/completions",
                    chat("m", "leaver", "\"priority\":7").getBytes(StandardCharsets.UTF_8),
                    "content-type", "application/json", "x-request-id", "leaver-1");
            rig.node().awaitWaiting("m", 1);
            Thread.sleep(300);
        }

        JsonNode line = lineOf("leaver-1");
        assertThat(line.get("status").asInt()).isEqualTo(499);
        assertThat(line.get("model").asText()).isEqualTo("m");
        assertThat(line.get("priority").asLong()).isEqualTo(7);
        assertThat(line.get("wait_ms").asLong()).as("waited until it left: %s", line).isBetween(300L, 10_000L);
        assertThat(line.get("attempts").asInt()).as("never sent upstream: %s", line).isZero();
        assertThat(line.get("deployment").isNull()).as("never granted: %s", line).isTrue();
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        assertThat(lineOf("holder-1").get("status").asInt()).isEqualTo(200);
        assertThat(lineOf("holder-1").get("attempts").asInt()).isEqualTo(1);
        assertThat(lines).as("one line per request").hasSize(2);
    }
}
