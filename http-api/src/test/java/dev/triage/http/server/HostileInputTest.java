package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.HttpLimits;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.TestNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.triage.http.fixture.TestNode.chat;
import static org.awaitility.Awaitility.await;

/**
 * Over a thousand seeded, generated hostile requests, sixteen at a time: malformed and truncated JSON, wrong
 * types in every field, deep nesting, huge numbers, invalid UTF-8, duplicate keys, empty bodies, wrong
 * content types, odd header values. None may get a 5xx; every answer is a valid completion or OpenAI's error
 * envelope; nothing stays queued or held; and the node serves normally afterwards.
 */
class HostileInputTest {

    private static final long SEED = 20_261_127L;
    private static final int REQUESTS = 1_024;
    private static final int IN_FLIGHT = 16;
    private static final String KEY = "sk-fuzz";
    private static final int BODY_LIMIT = 64 * 1024;
    private static final String[] CHAT_ROUTES = {"/chat/completions", "/v1/chat/completions", "/queue/chat/completions"};
    private static final String[] TEXT_ROUTES = {"/completions", "/v1/completions", "/queue/completions"};
    private static final String[] FIELDS = {"model", "messages", "prompt", "priority", "stream", "max_tokens",
            "max_completion_tokens", "temperature", "n", "stop", "tools", "user", "stream_options", "metadata"};
    private static final String[] ODD_VALUES = {"null", "true", "false", "0", "-1", "1.5", "-0.0", "\"\"", "\"str\"",
            "[]", "{}", "[null]", "[[[]]]", "{\"a\":{}}", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "18446744073709551616", "1e308", "1e400", "-1e400", "0x10", "\"\\u0000\"",
            "\"\\ud800\"", "[1,2,3]", "{\"content\":\"x\"}", "\"1\"", "1E2", "123456789012345678901234567890"};

    /** One generated request and what a valid answer to it looks like. */
    private record Case(String kind, String path, List<String[]> headers, byte[] body) {
    }

    @RegisterExtension
    final NodeRig rig = NodeRig.withoutStub().limits(HttpLimits.DEFAULTS.withMaxBodyBytes(BODY_LIMIT)).config("""
            model_list:
              - model_name: mock
                litellm_params:
                  model: openai/gpt-mock
                  mock_response: "fuzzed but fine"
                  tpm: 100000000
                model_info:
                  id: mock-1
            litellm_settings:
              num_retries: 0
            general_settings:
              master_key: %s
            """.formatted(KEY));

    @Test
    void hostileBodiesAndHeadersGetNo5xxOnlyEnvelopesOrAnswersAndLeaveNothingBehind() throws Exception {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) cases.add(generate(random));

        Map<String, String> anomalies = new ConcurrentSkipListMap<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Case c : cases) done.add(pool.submit(() -> check(c, anomalies, statuses)));
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        System.out.println("hostile input: statuses " + new TreeMap<>(statuses));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(anomalies).as("requests answered with a 5xx, something other than an answer or an"
                    + " envelope, or not at all (the first example of each kind)").isEmpty();
            soft.assertThat(statuses.get(200)).as("some generated requests are valid").isNotNull();
            soft.assertThatCode(() -> await().atMost(Duration.ofSeconds(5)).until(() ->
                    rig.node().snapshot("mock").waiting().isEmpty() && rig.node().snapshot("mock").inFlight() == 0))
                    .as("no waiting ticket and nothing in flight in the store").doesNotThrowAnyException();
            soft.assertThat(rig.node().router().activeCalls()).as("calls the router still counts as active").isZero();
            HttpResponse<String> normal = rig.node().post("/v1/chat/completions", chat("mock", "hi"), "authorization",
                    "Bearer " + KEY);
            soft.assertThat(normal.statusCode()).as("a normal call afterwards").isEqualTo(200);
            soft.assertThat(normal.body()).contains("fuzzed but fine");
        });
    }

    private void check(Case c, Map<String, String> anomalies, Map<Integer, AtomicInteger> statuses) {
        RawHttp.Response response;
        try {
            response = RawHttp.exchange(rig.node().port(), "POST", c.path(), c.headers(), c.body());
        } catch (RuntimeException e) {
            anomalies.putIfAbsent(c.kind() + ": no answer", e + " for " + describe(c));
            return;
        }
        statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
        String problem = judge(c, response);
        if (problem != null) anomalies.putIfAbsent(c.kind() + ": " + problem, response.status() + " "
                + abbreviate(response.text()) + " for " + describe(c));
    }

    /** Null if the response is acceptable, else what is wrong with it. */
    private static String judge(Case c, RawHttp.Response response) {
        String requestId = response.header("x-request-id");
        if (requestId == null || !requestId.matches("[\\x21-\\x7e]{1,128}")) return "unsafe x-request-id";
        int status = response.status();
        if (status >= 500) return "5xx";
        if (c.kind().equals("valid") && status != 200) return "a valid request refused";
        if (c.kind().equals("invalid UTF-8") && status != 400) return "invalid UTF-8 not refused with 400";
        if (status == 200) {
            String type = String.valueOf(response.header("content-type"));
            if (type.startsWith("text/event-stream")) {
                return response.text().endsWith("data: [DONE]\n\n") ? null : "broken stream";
            }
            try {
                JsonNode answer = TestNode.json(response.text());
                return answer.path("choices").isArray() ? null : "answer without choices";
            } catch (RuntimeException notJson) {
                return "answer not JSON";
            }
        }
        if (status < 400) return "unexpected status";
        if (!String.valueOf(response.header("content-type")).startsWith("application/json")) return "error not JSON";
        return Envelope.isEnvelope(response.text()) ? null : "not an OpenAI error envelope";
    }

    private static String describe(Case c) {
        StringBuilder text = new StringBuilder(c.path());
        for (String[] h : c.headers()) text.append(" [").append(abbreviate(h[0] + ": " + h[1])).append(']');
        return text.append(' ').append(abbreviate(new String(c.body(), StandardCharsets.ISO_8859_1))).toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...(" + text.length() + " chars)";
    }

    // ---- generation ----

    private Case generate(Random r) {
        boolean chatRoute = r.nextBoolean();
        String path = (chatRoute ? CHAT_ROUTES : TEXT_ROUTES)[r.nextInt(3)];
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"authorization", "Bearer " + KEY});
        headers.add(new String[] {"content-type", "application/json"});
        boolean stream = r.nextInt(4) == 0;
        String valid = validBody(r, chatRoute, stream);
        int kind = r.nextInt(12);
        byte[] body = utf8(valid);
        String name;
        switch (kind) {
            case 0 -> {
                name = "valid";
            }
            case 1 -> {
                name = "truncated JSON";
                body = utf8(valid.substring(0, r.nextInt(valid.length())));
            }
            case 2 -> {
                name = "wrong type";
                body = utf8(withField(valid, FIELDS[r.nextInt(FIELDS.length)], ODD_VALUES[r.nextInt(ODD_VALUES.length)]));
            }
            case 3 -> {
                name = "odd messages";
                body = utf8(withField(valid, chatRoute ? "messages" : "prompt", oddInput(r)));
            }
            case 4 -> {
                name = "deep nesting";
                body = utf8(withField(valid, FIELDS[r.nextInt(FIELDS.length)], nested(r)));
            }
            case 5 -> {
                name = "huge number";
                String[] fields = {"priority", "max_tokens", "max_completion_tokens", "temperature", "n"};
                body = utf8(withField(valid, fields[r.nextInt(fields.length)], hugeNumber(r)));
            }
            case 6 -> {
                name = "invalid UTF-8";
                body = invalidUtf8(r, valid);
            }
            case 7 -> {
                name = "duplicate key";
                String field = new String[] {"model", "priority", "messages", "prompt", "stream"}[r.nextInt(5)];
                body = utf8(valid.substring(0, valid.length() - 1) + ",\"" + field + "\":" + ODD_VALUES[r.nextInt(6)]
                        + "}");
            }
            case 8 -> {
                name = "empty or blank body";
                body = utf8(new String[] {"", " ", "\n\t", "null", "{}", "[]", "\"\"", "\uFEFF"}[r.nextInt(8)]);
            }
            case 9 -> {
                name = "wrong content type";
                headers.remove(1);
                String type = new String[] {null, "text/plain", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=xyz", "application/json; charset=utf-16", "garbage/;;;",
                        "application/xml", "*/*"}[r.nextInt(8)];
                if (type != null) headers.add(new String[] {"content-type", type});
                if (r.nextBoolean()) body = utf8(new String[] {"a=1&b=2", "--xyz\r\nContent-Disposition: form-data;"
                        + " name=\"a\"\r\n\r\n1\r\n--xyz--\r\n", "--xyz\r\n\r\n", "<xml/>", "%%%%"}[r.nextInt(5)]);
            }
            case 10 -> {
                name = "odd headers";
                oddHeaders(r, headers);
            }
            default -> {
                name = "oversized or random bytes";
                if (r.nextBoolean()) {
                    body = utf8(withField(valid, "user", "\"" + "u".repeat(BODY_LIMIT + r.nextInt(1000)) + "\""));
                } else {
                    body = new byte[r.nextInt(2000)];
                    r.nextBytes(body);
                }
            }
        }
        return new Case(name, path, headers, body);
    }

    private static String validBody(Random r, boolean chatRoute, boolean stream) {
        StringBuilder extra = new StringBuilder();
        if (r.nextBoolean()) extra.append("\"priority\":").append(r.nextInt(21) - 10).append(',');
        if (r.nextBoolean()) extra.append("\"max_tokens\":").append(r.nextInt(500)).append(',');
        if (r.nextBoolean()) extra.append("\"temperature\":0.").append(r.nextInt(10)).append(',');
        if (stream) extra.append("\"stream\":true,");
        String content = "fuzz " + r.nextInt(1_000_000);
        String input = chatRoute ? "\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]"
                : "\"prompt\":\"" + content + "\"";
        return "{" + extra + "\"model\":\"mock\"," + input + "}";
    }

    /** Sets (or adds) a top-level member to raw JSON text: the new value is appended after removing the old. */
    private static String withField(String json, String field, String rawValue) {
        JsonNode tree = TestNode.json(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove(field);
        String rest = tree.toString();
        return rest.substring(0, rest.length() - 1) + (rest.length() > 2 ? "," : "") + "\"" + field + "\":" + rawValue
                + "}";
    }

    private static String oddInput(Random r) {
        List<Supplier<String>> options = List.of(
                () -> "[1]", () -> "[null]", () -> "[\"str\"]", () -> "[{\"content\":5}]",
                () -> "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}]",
                () -> "[{\"role\":\"user\",\"content\":" + "{\"content\":".repeat(300) + "\"x\"" + "}".repeat(300) + "}]",
                () -> "[{\"role\":\"user\",\"content\":\"" + "y".repeat(r.nextInt(30_000)) + "\"}]",
                () -> "[{}]", () -> "[[],[]]", () -> "{\"0\":{\"content\":\"x\"}}", () -> "[" + "{},".repeat(2000) + "{}]",
                () -> "[{\"role\":\"user\",\"content\":\"\\u0000\\u001f\\ud83d\\ude00\"}]");
        return options.get(r.nextInt(options.size())).get();
    }

    private static String nested(Random r) {
        int depth = new int[] {10, 500, 998, 1001, 5_000, 20_000}[r.nextInt(6)];
        return r.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static String hugeNumber(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> "9223372036854775807";
            case 1 -> "-9223372036854775808";
            case 2 -> "9223372036854775808";
            case 3 -> "1e308";
            case 4 -> "1e400";
            case 5 -> "9".repeat(1_000 + r.nextInt(5_000));
            case 6 -> "0." + "0".repeat(2_000) + "1";
            case 7 -> Long.toString(Long.MAX_VALUE - r.nextInt(1_000));
            default -> "-" + "1".repeat(30);
        };
    }

    private static byte[] invalidUtf8(Random r, String valid) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
        byte[] insert = bad[r.nextInt(bad.length)];
        String marker = "fuzz ";
        int at = valid.indexOf(marker) + marker.length();
        if (r.nextInt(4) == 0) at = r.nextInt(valid.length()); // anywhere, even outside a string
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(valid.substring(0, at)));
        out.writeBytes(insert);
        out.writeBytes(utf8(valid.substring(at)));
        return out.toByteArray();
    }

    private static void oddHeaders(Random r, List<String[]> headers) {
        String[] requestIds = {"", " ", "x".repeat(129), "x".repeat(8_000), "id with spaces", "\u00ff\u00fe\u00e9",
                "<script>", "../../etc/passwd", "a\tb", "ok-id-" + r.nextInt(1000), "\"quoted\"", "%0d%0aSet-Cookie:x"};
        String[] authorizations = {"Basic c2stZnV6ejo=", "Bearer", "Bearer ", "Bearer " + KEY + " extra",
                "bearer " + KEY, "Bearer  " + KEY, "Token " + KEY, "", KEY, "Bearer " + KEY.toUpperCase(),
                "Bearer " + KEY + "\u00e9", "Bearer " + "k".repeat(4_000), "Digest username=x"};
        switch (r.nextInt(4)) {
            case 0 -> headers.add(new String[] {"x-request-id", requestIds[r.nextInt(requestIds.length)]});
            case 1 -> {
                headers.remove(0);
                headers.add(new String[] {"authorization", authorizations[r.nextInt(authorizations.length)]});
            }
            case 2 -> {
                headers.add(new String[] {"authorization", authorizations[r.nextInt(authorizations.length)]});
                headers.add(new String[] {"x-request-id", requestIds[r.nextInt(requestIds.length)]});
            }
            default -> {
                headers.add(new String[] {"x-litellm-priority", "-999999999999999999999"});
                headers.add(new String[] {"accept", "text/event-stream;q=\u00ff"});
                headers.add(new String[] {"x-request-id", requestIds[r.nextInt(requestIds.length)]});
                headers.add(new String[] {"x-request-id", "second-id"});
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
