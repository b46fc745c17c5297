package dev.triage.http.server;

import dev.triage.http.HttpLimits;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A completion body is read as JSON whatever its content type says, as LiteLLM does: {@code curl -d} sends
 * {@code application/x-www-form-urlencoded} and, past 1 KiB, {@code Expect: 100-continue}; other clients send
 * no type or {@code text/plain}. The size limit holds for every type, announced or chunked.
 */
class AnyContentTypeTest {

    private static final int LIMIT = 16 * 1024;
    private static final String CHAT = "/v1/chat/completions";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().limits(HttpLimits.DEFAULTS.withMaxBodyBytes(LIMIT)).config("""
            model_list:
              - model_name: m
                litellm_params: {model: openai/upstream-m, api_base: ${stub.a}}
            """);

    @AfterEach
    void reset() {
        rig.node().awaitIdle("m");
        rig.stub().reset();
    }

    private static List<String[]> headers(String contentType, String... more) {
        List<String[]> headers = new ArrayList<>();
        if (!contentType.isEmpty()) headers.add(new String[] {"content-type", contentType});
        for (int i = 0; i < more.length; i += 2) headers.add(new String[] {more[i], more[i + 1]});
        return headers;
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "", "text/plain", "application/json; charset=utf-8",
            "multipart/form-data; boundary=x"})
    void aJsonBodyIsServedWhateverItsContentType(String contentType) {
        for (int size : new int[] {200, 971, 1_071, 5_000, LIMIT - 100}) {
            String body = chat("m", "x".repeat(size));
            RawHttp.Response answer = RawHttp.exchange(rig.node().port(), "POST", CHAT, headers(contentType),
                    body.getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).as("%s, %d bytes: %s", contentType, body.length(), answer.text()).isEqualTo(200);
            assertThat(TestNode.json(answer.text()).path("object").asText()).isEqualTo("chat.completion");
        }
        assertThat(rig.stub().calls()).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", ""})
    void aBodyAfterExpectContinueIsServedAsCurlSendsIt(String contentType) {
        byte[] body = chat("m", "x".repeat(2_000)).getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = RawHttp.connect(rig.node().port())) {
            List<String[]> head = headers(contentType, "expect", "100-continue", "content-length",
                    Integer.toString(body.length));
            http.send("POST", CHAT, head, new byte[0]);
            assertThat(http.readHead().status()).isEqualTo(100);
            http.send(body);
            RawHttp.Response answer = http.readResponse();

            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "", "application/json"})
    void aChunkedBodyOverTheLimitIsRefusedWith413WhateverItsContentType(String contentType) {
        String oversized = chat("m", "x".repeat(2 * LIMIT));
        try (RawHttp http = RawHttp.connect(rig.node().port())) {
            String framed = Integer.toHexString(oversized.length()) + "\r\n" + oversized + "\r\n0\r\n\r\n";
            http.send("POST", CHAT, headers(contentType, "transfer-encoding", "chunked"),
                    framed.getBytes(StandardCharsets.UTF_8));
            RawHttp.Response answer = http.readResponse();

            assertThat(answer.status()).as(answer.text()).isEqualTo(413);
            Envelope.assertError(answer.text(), "request_too_large", null);
        }
        assertThat(rig.stub().calls()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", ""})
    void anAnnouncedBodyOverTheLimitIsRefusedWith413WhateverItsContentType(String contentType) {
        byte[] oversized = chat("m", "x".repeat(2 * LIMIT)).getBytes(StandardCharsets.UTF_8);
        RawHttp.Response answer = RawHttp.exchange(rig.node().port(), "POST", CHAT, headers(contentType), oversized);

        assertThat(answer.status()).isEqualTo(413);
        Envelope.assertError(answer.text(), "request_too_large", null);
        assertThat(rig.stub().calls()).isEmpty();
    }
}
