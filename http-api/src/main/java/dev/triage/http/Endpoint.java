package dev.triage.http;

/** The two OpenAI operations Triage schedules, with the upstream path each is forwarded to. */
public enum Endpoint {
    CHAT("/chat/completions", "messages"),
    COMPLETION("/completions", "prompt");

    private final String upstreamPath;
    private final String inputField;

    Endpoint(String upstreamPath, String inputField) {
        this.upstreamPath = upstreamPath;
        this.inputField = inputField;
    }

    public String upstreamPath() {
        return upstreamPath;
    }

    /** The body field that carries the prompt: required, and the base of the token estimate. */
    public String inputField() {
        return inputField;
    }
}
