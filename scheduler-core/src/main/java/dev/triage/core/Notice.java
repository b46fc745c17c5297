package dev.triage.core;

import java.io.Serializable;

/** What the store pushes to the node that holds a ticket. */
public sealed interface Notice extends Serializable {

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
