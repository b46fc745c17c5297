package dev.triage.node.cli;

/**
 * The configuration is valid but cannot be run as it is (its Redis server unreachable, refusing the password, or
 * evicting keys): reported as one line with the usage exit status, since the operator fixes it in the config or
 * the server, not by retrying.
 */
public class UnrunnableConfigException extends RuntimeException {

    public UnrunnableConfigException(String message) {
        super(message);
    }
}
