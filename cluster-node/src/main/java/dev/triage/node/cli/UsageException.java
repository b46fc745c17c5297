package dev.triage.node.cli;

/**
 * A command line that cannot be understood. The message names the flag, what was expected and
 * what was found, e.g. {@code --port: expected a port from 1 to 65535, found 70000}; it is shown
 * as is, without a stack trace.
 */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
