package dev.triage.http.server;

import dev.triage.config.ConfigChanges;

import java.util.Objects;
import java.util.Optional;

/**
 * What a reload did: the changes it applied (none when the file had not changed), or why it refused the file
 * (the config error line: file, path, what was expected) and kept the running config.
 */
public record ReloadOutcome(String source, Optional<ConfigChanges> changes, Optional<String> refusal) {

    public ReloadOutcome {
        Objects.requireNonNull(source, "source");
        if (changes.isPresent() == refusal.isPresent()) {
            throw new IllegalArgumentException("a reload either applies changes or is refused");
        }
    }

    public static ReloadOutcome applied(String source, ConfigChanges changes) {
        return new ReloadOutcome(source, Optional.of(changes), Optional.empty());
    }

    public static ReloadOutcome refused(String source, String why) {
        return new ReloadOutcome(source, Optional.empty(), Optional.of(why));
    }
}
