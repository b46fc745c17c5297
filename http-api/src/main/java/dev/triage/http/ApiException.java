package dev.triage.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request that ends in an error, with everything needed to answer it in OpenAI's envelope:
 * {@code {"error":{"message","type","param","code"}}}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final long retryAfterSeconds;

    public ApiException(int status, String type, String code, String param, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalidRequest(String message, String param) {
        return new ApiException(400, "invalid_request_error", "invalid_request", param, message, 0);
    }

    public static ApiException invalidJson(String detail) {
        return new ApiException(400, "invalid_request_error", "invalid_json", null,
                "request body is not valid JSON: " + detail, 0);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "authentication_error", "invalid_api_key", null,
                "missing or invalid API key: send Authorization: Bearer <key>", 0);
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(404, "invalid_request_error", "model_not_found", "model",
                "The model `" + model + "` does not exist on this gateway", 0);
    }

    public static ApiException routeNotFound(String path) {
        return new ApiException(404, "invalid_request_error", "not_found", null, "no route for " + path, 0);
    }

    public static ApiException tooLarge(long limitBytes) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "request body is over the limit of " + limitBytes + " bytes", 0);
    }

    public static ApiException queueTimeout(long retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", "queue_timeout", null,
                "request was not admitted before router_settings.timeout; retry later", retryAfterSeconds);
    }

    public static ApiException queueFull(String why, long retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", "queue_full", null, why, retryAfterSeconds);
    }

    public static ApiException unavailable(String why) {
        return new ApiException(503, "service_unavailable", "scheduler_unavailable", null, why, 1);
    }

    public static ApiException badGateway(String why) {
        return new ApiException(502, "api_error", "upstream_error", null, why, 0);
    }

    public static ApiException gatewayTimeout(String why) {
        return new ApiException(504, "timeout_error", "upstream_timeout", null, why, 0);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** 0 when no Retry-After header should be sent. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ObjectNode toJson() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) error.putNull("param");
        else error.put("param", param);
        error.put("code", code);
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.set("error", error);
        return envelope;
    }
}
