package dev.triage.http.server;

import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.StubUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream gets the deployment's {@code api_key} as {@code Authorization: Bearer <api_key>}, and never the
 * client's own key for Triage.
 */
class UpstreamCredentialsTest {

    private static final String MASTER_KEY = "sk-triage-master";
    private static final String API_KEY = "sk-upstream-deployment";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().config("""
            model_list:
              - model_name: keyed
                litellm_params:
                  model: openai/upstream-keyed
                  api_base: ${stub.keyed}
                  api_key: %s
              - model_name: keyless
                litellm_params:
                  model: openai/upstream-keyless
                  api_base: ${stub.keyless}
            litellm_settings:
              num_retries: 0
            general_settings:
              master_key: %s
            """.formatted(API_KEY, MASTER_KEY));

    @Test
    void theDeploymentsApiKeyIsSentAsABearerTokenInPlaceOfTheClients() {
        assertThat(rig.node().post("/v1/chat/completions", chat("keyed", "hi"), "authorization",
                "Bearer " + MASTER_KEY).statusCode()).isEqualTo(200);
        assertThat(rig.node().post("/v1/chat/completions", chat("keyless", "hi"), "authorization",
                "Bearer " + MASTER_KEY).statusCode()).isEqualTo(200);

        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::base).containsExactly("keyed", "keyless");
        assertThat(rig.stub().calls().get(0).authorization()).isEqualTo("Bearer " + API_KEY);
        assertThat(rig.stub().calls().get(1).authorization()).as("a deployment without api_key gets no key at all")
                .isNull();
        rig.node().awaitIdle("keyed");
        rig.node().awaitIdle("keyless");
    }
}
