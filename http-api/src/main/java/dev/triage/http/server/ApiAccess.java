package dev.triage.http.server;

import dev.triage.config.Secret;
import dev.triage.config.TriageConfig;

import java.util.Objects;
import java.util.Optional;

/**
 * Which routes need {@code Authorization: Bearer <master_key>}: with a master key, every route but the health
 * probes and (unless {@code metricsNeedKey}) {@code /metrics}; without one, none.
 */
public record ApiAccess(Optional<String> masterKey, boolean metricsNeedKey) {

    public ApiAccess {
        Objects.requireNonNull(masterKey, "masterKey");
    }

    public static ApiAccess from(TriageConfig config) {
        return new ApiAccess(config.general().masterKey().map(Secret::reveal),
                config.litellm().requireAuthForMetrics());
    }
}
