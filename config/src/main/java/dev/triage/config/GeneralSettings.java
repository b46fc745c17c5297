package dev.triage.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code general_settings}.
 *
 * @param masterKey when present, requests need {@code Authorization: Bearer <master_key>}
 * @param cancelOnDisconnect whether a client that disconnects cancels its waiting ticket
 */
public record GeneralSettings(Optional<Secret> masterKey, boolean cancelOnDisconnect) {
    public GeneralSettings {
        Objects.requireNonNull(masterKey, "masterKey");
    }
}
