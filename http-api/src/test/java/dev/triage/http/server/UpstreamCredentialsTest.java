package dev.triage.http.server;

import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream gets the deployment's {@code api_key} as {@code Authorization: Bearer <api_key>}, and never the
 * client's own key for Triage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamCredentialsTest {

    private static final String MASTER_KEY = "sk-triage-master";
    private static final String API_KEY = "sk-upstream-deployment";

    private StubUpstream stub;
    private TestNode node;

    @BeforeAll
    void start() {
        stub = StubUpstream.start();
        node = TestNode.start("""
                model_list:
                  - model_name: keyed
                    litellm_params:
                      model: openai/upstream-keyed
                      api_base: %s
                      api_key: %s
                  - model_name: keyless
                    litellm_params:
                      model: openai/upstream-keyless
                      api_base: %s
                litellm_settings:
                  num_retries: 0
                general_settings:
                  master_key: %s
                """.formatted(stub.apiBase("keyed"), API_KEY, stub.apiBase("keyless"), MASTER_KEY));
    }

    @AfterAll
    void stop() {
        node.close();
        stub.close();
    }

    @Test
    void theDeploymentsApiKeyIsSentAsABearerTokenInPlaceOfTheClients() {
        assertThat(node.post("/v1/chat/completions", chat("keyed", "hi"), "authorization", "Bearer " + MASTER_KEY)
                .statusCode()).isEqualTo(200);
        assertThat(node.post("/v1/chat/completions", chat("keyless", "hi"), "authorization", "Bearer " + MASTER_KEY)
                .statusCode()).isEqualTo(200);

        assertThat(stub.calls()).extracting(StubUpstream.Call::base).containsExactly("keyed", "keyless");
        assertThat(stub.calls().get(0).authorization()).isEqualTo("Bearer " + API_KEY);
        assertThat(stub.calls().get(1).authorization()).as("a deployment without api_key gets no key at all").isNull();
        node.awaitIdle("keyed");
        node.awaitIdle("keyless");
    }
}
