package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code priority} on every scheduling route, with and without a {@code default_priority}: an integer (or
 * absent, or null) is scheduled at the applied priority and never forwarded; anything else is a 400 naming
 * {@code priority} before any upstream is called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriorityFieldTest {

    private static final List<String> CHAT_ROUTES = List.of("/chat/completions", "/v1/chat/completions",
            "/queue/chat/completions");
    private static final List<String> COMPLETION_ROUTES = List.of("/completions", "/v1/completions",
            "/queue/completions");
    private static final long DEFAULT_PRIORITY = 7;
    private static final String FIVE_KB = "x".repeat(5 * 1024);

    /** A priority member as written in the body (null: the member is absent) and the priority it must get. */
    private record Valid(String json, Long applied) {
        long expected(long defaultPriority) {
            return applied != null ? applied : defaultPriority;
        }

        @Override
        public String toString() {
            return json == null ? "absent" : json;
        }
    }

    /** Its node has no default priority; {@link #withDefault} is a second node on the same stub. */
    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().config(config(""));
    private TestNode withDefault;

    private static String config(String routerSettings) {
        return """
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.a}
                    model_info:
                      id: dep-a
                litellm_settings:
                  num_retries: 0
                """ + routerSettings;
    }

    @BeforeAll
    void startTheNodeWithADefault() {
        withDefault = TestNode.start(rig.withApiBases(
                config("router_settings:\n  default_priority: " + DEFAULT_PRIORITY + "\n")));
    }

    @AfterAll
    void stopTheNodeWithADefault() {
        withDefault.close();
    }

    @BeforeEach
    void forgetCalls() {
        rig.stub().reset();
    }

    Stream<Arguments> validCases() {
        List<Valid> cases = List.of(new Valid("1", 1L), new Valid("0", 0L), new Valid("-1", -1L),
                new Valid("1099511627776", 1099511627776L), new Valid(null, null), new Valid("null", null),
                new Valid(Long.toString(Long.MAX_VALUE), Long.MAX_VALUE),
                new Valid(Long.toString(Long.MIN_VALUE), Long.MIN_VALUE));
        List<Arguments> all = new ArrayList<>();
        for (String route : routes()) {
            for (Valid c : cases) {
                all.add(Arguments.of(route, c, false));
                all.add(Arguments.of(route, c, true));
            }
        }
        return all.stream();
    }

    Stream<Arguments> refusedCases() {
        List<String> cases = List.of("\"1\"", "[1]", "1.5", "{\"level\":3}", "\"\"", "\"" + FIVE_KB + "\"", "true",
                "18446744073709551616", "-9223372036854775809", "1.0", "1e3");
        List<Arguments> all = new ArrayList<>();
        for (String route : routes()) {
            for (String c : cases) {
                all.add(Arguments.of(route, c, false));
                all.add(Arguments.of(route, c, true));
            }
        }
        return all.stream();
    }

    private static List<String> routes() {
        List<String> routes = new ArrayList<>(CHAT_ROUTES);
        routes.addAll(COMPLETION_ROUTES);
        return routes;
    }

    private static String body(String route, String priorityJson) {
        String member = priorityJson == null ? "" : "\"priority\":" + priorityJson;
        return CHAT_ROUTES.contains(route) ? TestNode.chat("m", "hello", member)
                : TestNode.completion("m", "hello", member);
    }

    @ParameterizedTest(name = "{0} priority {1}, default_priority set: {2}")
    @MethodSource("validCases")
    void anIntegerAbsentOrNullPriorityIsScheduledAtTheAppliedPriorityAndNeverForwarded(String route, Valid priority,
                                                                                       boolean hasDefault) {
        TestNode node = hasDefault ? withDefault : rig.node();

        HttpResponse<String> response = node.post(route, body(route, priority.json()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long expected = priority.expected(hasDefault ? DEFAULT_PRIORITY : 0);
        assertThat(response.headers().firstValue("x-litellm-priority")).contains(Long.toString(expected));
        assertThat(rig.stub().calls()).hasSize(1);
        StubUpstream.Call call = rig.stub().calls().get(0);
        assertThat(call.path()).isEqualTo(CHAT_ROUTES.contains(route) ? "/a/v1/chat/completions" : "/a/v1/completions");
        JsonNode forwarded = call.body();
        assertThat(forwarded.has("priority")).as("forwarded body %s", forwarded).isFalse();
        assertThat(forwarded.path("model").asText()).isEqualTo("upstream-m");
        assertThat(TestNode.json(response.body()).path("choices").isArray()).isTrue();
    }

    @ParameterizedTest(name = "{0} priority {1}, default_priority set: {2}")
    @MethodSource("refusedCases")
    void aPriorityThatIsNotA64BitIntegerIsRefusedBeforeAnyUpstreamCall(String route, String priority,
                                                                      boolean hasDefault) {
        TestNode node = hasDefault ? withDefault : rig.node();

        HttpResponse<String> response = node.post(route, body(route, priority));

        JsonNode error = Envelope.assertError(response, 400, "invalid_request", "priority");
        assertThat(error.get("message").asText()).startsWith("priority must be an integer");
        assertThat(error.get("message").asText()).as("never echoes the value").hasSizeLessThan(200);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(rig.stub().calls()).isEmpty();
    }
}
