package dev.triage.config;

import java.util.List;

/** Reads {@code litellm_settings}. */
final class LitellmSettingsReader {
    static final List<String> KEYS = List.of("request_timeout", "num_retries");

    private LitellmSettingsReader() {}

    static LitellmSettings read(ConfigSection section) {
        section.warnAboutKeysOtherThan(KEYS);
        return new LitellmSettings(
                section.optional("request_timeout").map(ConfigNode::positiveSeconds),
                section.optionalInt("num_retries", ConfigNode::nonNegativeInt)
                        .orElse(LitellmSettings.DEFAULT_NUM_RETRIES));
    }
}
