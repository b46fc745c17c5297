package dev.triage.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.core.TokenEstimate;

import java.io.IOException;

/**
 * A parsed, validated OpenAI request plus Triage's {@code priority}. Checks run in LiteLLM's order once auth
 * and size have passed: JSON, then {@code priority}, then required fields; the model is checked by the router.
 *
 * @param body          the request as sent, minus {@code priority} (which never goes upstream)
 * @param tokenEstimate the tpm reservation: prompt characters / 4 plus {@code max_tokens} (or a default)
 */
public record CompletionRequest(Endpoint endpoint, String model, long priority, boolean stream, ObjectNode body,
                                long tokenEstimate, long bodyBytes) {

    /** Completion tokens assumed for a request that sets no {@code max_tokens}. */
    public static final long DEFAULT_COMPLETION_TOKENS = 256;

    public static final String PRIORITY_MESSAGE = "priority must be an integer";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static CompletionRequest parse(byte[] bytes, Endpoint endpoint, long defaultPriority) {
        if (!isUtf8(bytes)) throw ApiException.invalidJson("the body is not valid UTF-8");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidJson(e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.invalidJson(e.getMessage());
        }
        if (root == null || root.isMissingNode()) throw ApiException.invalidJson("the body is empty");
        if (!root.isObject()) throw ApiException.invalidJson("expected a JSON object, found " + describe(root));
        return of((ObjectNode) root, endpoint, defaultPriority, bytes.length);
    }

    /**
     * Validates an already-parsed body (the Java router's entry); {@code request} is not modified.
     *
     * @param bodyBytes the size the body takes while it waits (counted against the node's cap)
     */
    public static CompletionRequest of(ObjectNode request, Endpoint endpoint, long defaultPriority, long bodyBytes) {
        ObjectNode body = request.deepCopy();
        long priority = priority(body.remove("priority"), defaultPriority);
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw ApiException.invalidRequest("model must be a non-empty string", "model");
        }
        JsonNode input = body.get(endpoint.inputField());
        if (endpoint == Endpoint.CHAT && (input == null || !input.isArray() || input.isEmpty())) {
            throw ApiException.invalidRequest("messages must be a non-empty array", "messages");
        }
        if (endpoint == Endpoint.COMPLETION && (input == null || !(input.isTextual() || input.isArray()))) {
            throw ApiException.invalidRequest("prompt must be a string or an array", "prompt");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiException.invalidRequest("stream must be a boolean", "stream");
        }
        long maxTokens = maxTokens(body);
        long estimate = TokenEstimate.of(textLength(input), maxTokens, DEFAULT_COMPLETION_TOKENS);
        return new CompletionRequest(endpoint, model.asText(), priority, stream != null && stream.asBoolean(), body,
                estimate, bodyBytes);
    }

    /** JSON is UTF-8 (RFC 8259); the parser alone lets some malformed sequences through. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static long priority(JsonNode value, long defaultPriority) {
        if (value == null || value.isNull()) return defaultPriority;
        if (value.isIntegralNumber() && value.canConvertToLong()) return value.longValue();
        throw ApiException.invalidRequest(PRIORITY_MESSAGE + " within signed 64 bits, found " + describe(value),
                "priority");
    }

    private static long maxTokens(ObjectNode body) {
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) continue;
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw ApiException.invalidRequest(field + " must be a non-negative integer", field);
            }
            return value.longValue();
        }
        return -1;
    }

    /** Characters of prompt text: string contents, and the text parts of multi-part chat content. */
    private static long textLength(JsonNode node) {
        if (node == null) return 0;
        if (node.isTextual()) return node.asText().length();
        long total = 0;
        if (node.isArray()) {
            for (JsonNode item : node) total += textLength(item);
        } else if (node.isObject()) {
            total += textLength(node.get("content"));
            total += textLength(node.get("text"));
        }
        return total;
    }

    /** A short, safe description of a JSON value for an error message (never echoes a long string). */
    static String describe(JsonNode value) {
        if (value.isTextual()) return "a string";
        if (value.isNumber()) return describeNumber(value);
        if (value.isBoolean()) return "the boolean " + value.asText();
        if (value.isArray()) return "an array";
        if (value.isObject()) return "an object";
        if (value.isNull()) return "null";
        return "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The parser keeps a number's value, not how it was written: {@code 1e3} and {@code 1000.0} both arrive as
     * 1000.0, so a whole one is described as written with a fraction or an exponent, with the integer to send.
     */
    private static String describeNumber(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            double number = value.doubleValue();
            if (Double.isInfinite(number)) return "a number too large for 64 bits";
            if (number == Math.rint(number) && Math.abs(number) < 0x1p63) {
                return "the number " + value.asText() + ", written with a fraction or an exponent (write it as "
                        + (long) number + ")";
            }
        }
        String text = value.asText();
        return "the number " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /** The body to send upstream: the deployment's own model name in place of the group's. */
    public ObjectNode upstreamBody(String upstreamModel) {
        ObjectNode copy = body.deepCopy();
        copy.put("model", upstreamModel);
        return copy;
    }
}
