package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Finds the token usage an upstream reported: in a whole JSON answer, or in the {@code data:} lines of a
 * server-sent-event stream (OpenAI sends it in the final chunk). Only lines that mention usage are parsed.
 */
final class UsageScanner {

    /** A line longer than this is not kept whole (no usage line is that long). */
    private static final int MAX_LINE = 1 << 20;

    private final StringBuilder line = new StringBuilder();
    private long totalTokens = -1;

    /** Feeds a stream chunk. */
    void scan(Buffer chunk) {
        String text = chunk.toString(StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                inspect(line);
                line.setLength(0);
            } else if (line.length() < MAX_LINE) {
                line.append(c);
            }
        }
    }

    private void inspect(CharSequence raw) {
        String l = raw.toString().trim();
        if (!l.startsWith("data:") || !l.contains("\"usage\"")) return;
        readUsage(l.substring(5).trim());
    }

    /** Reads a whole JSON answer. */
    void whole(Buffer body) {
        readUsage(body.toString(StandardCharsets.UTF_8));
    }

    private void readUsage(String json) {
        try {
            JsonNode usage = CompletionRequest.JSON.readTree(json).path("usage");
            if (usage.path("total_tokens").canConvertToLong()) {
                totalTokens = usage.path("total_tokens").longValue();
            } else if (usage.isObject()) {
                totalTokens = usage.path("prompt_tokens").asLong(0) + usage.path("completion_tokens").asLong(0);
            }
        } catch (Exception notJson) {
            // an answer we cannot read keeps the reservation as its usage
        }
    }

    /** The reported total, or {@code fallback} when the upstream reported none. */
    long totalTokens(long fallback) {
        return totalTokens >= 0 ? totalTokens : fallback;
    }
}
