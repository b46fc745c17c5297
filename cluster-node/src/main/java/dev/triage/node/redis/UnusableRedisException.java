package dev.triage.node.redis;

import dev.triage.node.cli.UnrunnableConfigException;

/** The configured Redis cannot carry the fleet's queues as it is: a line for the operator, not a stack trace. */
public final class UnusableRedisException extends UnrunnableConfigException {

    UnusableRedisException(String message) {
        super(message);
    }
}
