package dev.triage.config;

import java.util.List;
import java.util.Optional;

/** Reads {@code general_settings}. */
final class GeneralSettingsReader {
    static final List<String> KEYS =
            List.of("master_key", "cancel_on_disconnect", "max_request_size_mb", "max_waiting_body_mb",
                    "drain_timeout");

    private GeneralSettingsReader() {}

    static GeneralSettings read(ConfigSection section) {
        section.warnAboutKeysOtherThan(KEYS);
        Optional<ConfigNode> requestSize = section.optional("max_request_size_mb");
        Optional<ConfigNode> waitingSize = section.optional("max_waiting_body_mb");
        long maxRequestBodyBytes = requestSize.map(ConfigNode::positiveMegabytes)
                .orElse(GeneralSettings.DEFAULT_MAX_REQUEST_BODY_BYTES);
        long maxWaitingBodyBytes = waitingSize.map(ConfigNode::positiveMegabytes)
                .orElse(GeneralSettings.DEFAULT_MAX_WAITING_BODY_BYTES);
        if (maxWaitingBodyBytes < maxRequestBodyBytes) {
            // A body the cap cannot hold would get 429 queue_full on every retry, however idle the node.
            throw waitingSize.isPresent()
                    ? waitingSize.get().mismatch(Expected.atLeastMaxRequestSize(
                            requestSize.map(ConfigNode::shown).orElse(defaultMegabytes(maxRequestBodyBytes))))
                    : requestSize.orElseThrow().mismatch(Expected.atMostMaxWaitingBody(
                            defaultMegabytes(maxWaitingBodyBytes)));
        }
        return new GeneralSettings(
                section.optional("master_key").map(ConfigNode::secret),
                section.optional("cancel_on_disconnect").map(ConfigNode::bool).orElse(true),
                maxRequestBodyBytes,
                maxWaitingBodyBytes,
                section.optional("drain_timeout").map(ConfigNode::positiveSeconds)
                        .orElse(GeneralSettings.DEFAULT_DRAIN_TIMEOUT));
    }

    private static String defaultMegabytes(long bytes) {
        return (bytes >> 20) + ", its default";
    }
}
