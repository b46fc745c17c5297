package dev.triage.core;

/** The tpm reservation taken at grant, before the upstream reports real usage. */
public final class TokenEstimate {

    private TokenEstimate() {
    }

    /**
     * Prompt characters / 4 (about a token each for English text) plus {@code max_tokens}, or plus
     * {@code defaultCompletionTokens} when the request sets no {@code max_tokens} (negative: absent).
     */
    public static long of(long promptChars, long maxTokens, long defaultCompletionTokens) {
        long prompt = promptChars / 4 + (promptChars % 4 == 0 ? 0 : 1);
        long completion = maxTokens >= 0 ? maxTokens : defaultCompletionTokens;
        // Saturates rather than wrapping: an absurd max_tokens must read as "a lot", never as negative.
        long total = prompt + completion;
        return total < 0 ? Long.MAX_VALUE : total;
    }
}
