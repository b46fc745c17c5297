package dev.triage.core.spi;

import dev.triage.core.EndReason;
import dev.triage.core.Lease;

/** What the store pushes to the node that holds a ticket. */
public sealed interface Notice {

    String ticketId();

    record Granted(Lease lease) implements Notice {
        @Override
        public String ticketId() {
            return lease.ticketId();
        }
    }

    record Ended(String ticketId, EndReason reason) implements Notice {
    }
}
