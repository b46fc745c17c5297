package dev.triage.node.redis;

/** Redis did not take a command or did not answer in time: the command may or may not have been applied. */
public final class StoreUnavailableException extends RuntimeException {

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
