package dev.triage.core;

/**
 * A deployment's usage as the store sees it, in the current rpm window.
 *
 * @param failures      failures counted in this window (towards {@code allowed_fails})
 * @param cooldownUntil epoch millis until which the deployment takes no grants (0: none)
 */
public record DeploymentLoad(String deploymentId, long rpmUsed, long tpmUsed, int inFlight, int failures,
                             long cooldownUntil) {
}
