package dev.triage.core.spi;

/**
 * The store's time in epoch milliseconds. Injected so that tests run minutes of scheduling without
 * sleeping; a backend reads it once per command, where the command is applied.
 */
@FunctionalInterface
public interface StoreClock {

    long millis();

    static StoreClock system() {
        return System::currentTimeMillis;
    }
}
