package dev.triage.config;

import java.util.List;

/** Reads {@code litellm_settings}. */
final class LitellmSettingsReader {
    static final List<String> KEYS = List.of("request_timeout", "num_retries",
            "require_auth_for_metrics_endpoint");

    private LitellmSettingsReader() {}

    static LitellmSettings read(ConfigSection section) {
        section.warnAboutKeysOtherThan(KEYS);
        return new LitellmSettings(
                section.optional("request_timeout").map(ConfigNode::positiveSeconds),
                section.optionalInt("num_retries", ConfigNode::nonNegativeInt)
                        .orElse(LitellmSettings.DEFAULT_NUM_RETRIES),
                section.optional("require_auth_for_metrics_endpoint").map(ConfigNode::bool).orElse(false));
    }
}
