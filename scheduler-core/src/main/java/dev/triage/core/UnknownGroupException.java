package dev.triage.core;

/** A command named a model group the backend does not serve. */
public final class UnknownGroupException extends RuntimeException {

    private final String group;

    public UnknownGroupException(String group) {
        super("unknown model group: " + group);
        this.group = group;
    }

    public String group() {
        return group;
    }
}
