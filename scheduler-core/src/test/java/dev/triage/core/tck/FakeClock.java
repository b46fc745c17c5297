package dev.triage.core.tck;


import dev.triage.core.spi.StoreClock;

import java.util.concurrent.atomic.AtomicLong;

/** A store clock that moves only when a test moves it, forwards or backwards. */
public final class FakeClock implements StoreClock {

    /** A minute boundary, so that window arithmetic in tests is easy to read. */
    public static final long START = 1_800_000_000_000L - (1_800_000_000_000L % 60_000);

    private final AtomicLong millis = new AtomicLong(START);

    @Override
    public long millis() {
        return millis.get();
    }

    public void advance(long byMillis) {
        millis.addAndGet(byMillis);
    }

    public void set(long value) {
        millis.set(value);
    }
}
