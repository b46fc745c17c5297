package dev.triage.config;

import java.util.List;

/** Reads {@code general_settings}. */
final class GeneralSettingsReader {
    static final List<String> KEYS = List.of("master_key", "cancel_on_disconnect");

    private GeneralSettingsReader() {}

    static GeneralSettings read(ConfigSection section) {
        section.warnAboutKeysOtherThan(KEYS);
        return new GeneralSettings(
                section.optional("master_key").map(ConfigNode::secret),
                section.optional("cancel_on_disconnect").map(ConfigNode::bool).orElse(true));
    }
}
