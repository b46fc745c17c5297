package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.HttpLimits;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.triage.http.fixture.TestNode.chat;
import static dev.triage.http.fixture.TestNode.completion;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks run in a fixed order, each answering in OpenAI's envelope: auth (401), body size (413), JSON (400),
 * {@code priority} (400), required fields (400), model (404). A request that fails one never reaches the next,
 * and none reaches the upstream.
 */
class CheckOrderTest {

    private static final String KEY = "sk-test-key";
    private static final int LIMIT = 2048;
    private static final String CHAT = "/v1/chat/completions";
    private static final String OVERSIZED = chat("m", "x".repeat(3 * LIMIT));
    private static final String MALFORMED = "{\"model\":\"m\",\"messages\":[";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().limits(HttpLimits.DEFAULTS.withMaxBodyBytes(LIMIT)).config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            general_settings:
              master_key: %s
            """.formatted(KEY));

    @AfterEach
    void nothingReachedTheUpstream() {
        try {
            assertThat(rig.stub().calls()).as("calls that reached the upstream").isEmpty();
            rig.node().awaitIdle("m");
        } finally {
            rig.stub().reset();
        }
    }

    private HttpResponse<String> authorized(String path, String body) {
        return rig.node().post(path, body, "authorization", "Bearer " + KEY);
    }

    @Test
    void aMissingOrWrongKeyIsRefusedWith401() {
        for (String[] headers : new String[][] {{}, {"authorization", "Bearer wrong"}, {"authorization", KEY},
                {"authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(KEY.getBytes())},
                {"authorization", "Bearer " + KEY + "x"}, {"authorization", "Bearer"}}) {
            HttpResponse<String> response = rig.node().post(CHAT, chat("m", "hi"), headers);

            JsonNode error = Envelope.assertError(response, 401, "invalid_api_key", null);
            assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        }
    }

    @Test
    void authIsCheckedBeforeTheBodyIsSizedOrParsed() {
        for (String body : new String[] {OVERSIZED, MALFORMED, chat("nope", "hi", "\"priority\":\"high\"")}) {
            Envelope.assertError(rig.node().post(CHAT, body, "authorization", "Bearer wrong"), 401, "invalid_api_key",
                    null);
            Envelope.assertError(rig.node().post("/v1/completions", body), 401, "invalid_api_key", null);
        }
    }

    @Test
    void aKeylessRequestAnnouncingAHugeBodyIsRefusedWithoutTheBodyBeingRead() {
        try (RawHttp http = RawHttp.connect(rig.node().port())) {
            // 100 MB announced, 10 bytes sent: the 401 must come without waiting for the rest.
            http.send("POST", CHAT, "{\"model\":".getBytes(StandardCharsets.UTF_8),
                    "content-type", "application/json", "content-length", Integer.toString(100 << 20));
            RawHttp.Response response = http.readResponse();

            assertThat(response.status()).isEqualTo(401);
            Envelope.assertError(response.text(), "invalid_api_key", null);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsParsed() {
        JsonNode error = Envelope.assertError(authorized(CHAT, OVERSIZED), 413, "request_too_large", null);
        assertThat(error.get("message").asText()).contains(Integer.toString(LIMIT));

        String oversizedGarbage = "{" + "\"".repeat(3 * LIMIT);
        Envelope.assertError(authorized(CHAT, oversizedGarbage), 413, "request_too_large", null);
        Envelope.assertError(authorized("/queue/completions", oversizedGarbage), 413, "request_too_large", null);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413Too() {
        try (RawHttp http = RawHttp.connect(rig.node().port())) {
            byte[] chunk = OVERSIZED.getBytes(StandardCharsets.UTF_8);
            String framed = Integer.toHexString(chunk.length) + "\r\n" + OVERSIZED + "\r\n0\r\n\r\n";
            http.send("POST", CHAT, framed.getBytes(StandardCharsets.UTF_8), "authorization", "Bearer " + KEY,
                    "content-type", "application/json", "transfer-encoding", "chunked");
            RawHttp.Response response = http.readResponse();

            assertThat(response.status()).isEqualTo(413);
            Envelope.assertError(response.text(), "request_too_large", null);
        }
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRefusedWith400BeforeItsPriorityIsRead() {
        for (String body : new String[] {MALFORMED, "", "[1,2]", "\"text\"", "42", "null",
                "{\"priority\":\"high\",\"model\":", "{\"model\":\"m\",\"model\":\"m\"}"}) {
            JsonNode error = Envelope.assertError(authorized(CHAT, body), 400, "invalid_json", null);
            assertThat(error.get("type").asText()).as(body).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void contentAfterTheJsonObjectMakesTheBodyInvalidJson() {
        // A parser that stops after the first value would schedule this with priority 0 and ignore the rest.
        String body = chat("m", "hi", "\"priority\":0") + "{\"priority\":-100}";

        Envelope.assertError(authorized(CHAT, body), 400, "invalid_json", null);
        Envelope.assertError(authorized(CHAT, chat("m", "hi") + " trailing"), 400, "invalid_json", null);
    }

    @Test
    void theBodyIsNeverEchoedInAJsonError() {
        String secret = "{\"model\":\"m\",\"messages\":[{\"content\":\"" + "s3cr3t".repeat(100) + "\"}";
        JsonNode error = Envelope.assertError(authorized(CHAT, secret), 400, "invalid_json", null);
        assertThat(error.get("message").asText()).doesNotContain("s3cr3ts3cr3t");
    }

    @Test
    void aBadPriorityIsRefusedBeforeMissingFieldsOrAnUnknownModel() {
        Envelope.assertError(authorized(CHAT, "{\"priority\":\"high\"}"), 400, "invalid_request", "priority");
        Envelope.assertError(authorized(CHAT, chat("no-such-model", "hi", "\"priority\":1.5")), 400,
                "invalid_request", "priority");
        Envelope.assertError(authorized("/v1/completions", "{\"model\":\"m\",\"priority\":[1]}"), 400,
                "invalid_request", "priority");
    }

    @Test
    void missingRequiredFieldsAreRefusedWith400NamingTheField() {
        Envelope.assertError(authorized(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400,
                "invalid_request", "model");
        Envelope.assertError(authorized(CHAT, "{\"model\":\"\",\"messages\":[{\"content\":\"hi\"}]}"), 400,
                "invalid_request", "model");
        Envelope.assertError(authorized(CHAT, "{\"model\":42,\"messages\":[{\"content\":\"hi\"}]}"), 400,
                "invalid_request", "model");
        Envelope.assertError(authorized(CHAT, "{\"model\":\"m\"}"), 400, "invalid_request", "messages");
        Envelope.assertError(authorized(CHAT, "{\"model\":\"m\",\"messages\":[]}"), 400, "invalid_request",
                "messages");
        Envelope.assertError(authorized(CHAT, "{\"model\":\"m\",\"messages\":\"hi\"}"), 400, "invalid_request",
                "messages");
        Envelope.assertError(authorized("/v1/completions", "{\"model\":\"m\"}"), 400, "invalid_request", "prompt");
        Envelope.assertError(authorized("/completions", "{\"model\":\"m\",\"prompt\":{}}"), 400, "invalid_request",
                "prompt");
        // a chat body on the completions route lacks a prompt
        Envelope.assertError(authorized("/queue/completions", chat("m", "hi")), 400, "invalid_request", "prompt");
    }

    @Test
    void missingFieldsAreRefusedBeforeAnUnknownModel() {
        Envelope.assertError(authorized(CHAT, "{\"model\":\"no-such-model\"}"), 400, "invalid_request", "messages");
    }

    @Test
    void anUnknownModelIsRefusedWith404() {
        JsonNode error = Envelope.assertError(authorized(CHAT, chat("no-such-model", "hi")), 404, "model_not_found",
                "model");
        assertThat(error.get("message").asText()).contains("no-such-model");
        Envelope.assertError(authorized("/completions", completion("gpt-5", "hi", "")), 404, "model_not_found",
                "model");
    }

    @Test
    void aRequestPassingEveryCheckIsServed() {
        HttpResponse<String> response = authorized(CHAT, chat("m", "hi", "\"priority\":3"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rig.stub().calls()).hasSize(1);
        assertThat(rig.stub().calls().get(0).authorization()).as("the master key is not forwarded").isNull();
        rig.stub().reset();
    }
}
