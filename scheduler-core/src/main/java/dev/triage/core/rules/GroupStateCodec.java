package dev.triage.core.rules;

import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.Lease;
import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;

/**
 * A group state in {@link WireFormat}: what a store migrates and syncs to replicas, so it holds everything later
 * commands depend on. The primary data only; reading rebuilds the indexes.
 */
final class GroupStateCodec {

    private GroupStateCodec() {
    }

    static void write(GroupState state, DataOutput out) throws IOException {
        out.writeInt(WireFormat.VERSION);
        WireFormat.writeGroupSpec(out, state.spec());
        WireFormat.writeVarLong(out, state.epoch());
        WireFormat.writeVarLong(out, state.commit());
        WireFormat.writeVarLong(out, state.now());
        WireFormat.writeVarLong(out, state.window());
        WireFormat.writeVarLong(out, state.nextArrival());
        WireFormat.writeList(out, state.tickets.waitingInOrder(), WireFormat::writeTicket);
        WireFormat.writeCount(out, state.tickets.leases().size());
        for (Lease l : state.tickets.leases()) {
            WireFormat.writeLease(out, l);
            // Which lease a ticket maps to is not always derivable (a re-registered lease may share a ticket).
            out.writeBoolean(state.tickets.isTicketsLease(l));
        }
        for (Deployment d : state.spec().deployments()) WireFormat.writeDeploymentLoad(out, state.load(d.id()));
        state.nodes.writeLastSeen(out);
        // What makes duplicates harmless: remembered results, recent ends, when to forget them, recent outcomes.
        state.memo.writeTo(out);
        WireFormat.writeList(out, state.recentOutcomes(), WireFormat::writeOutcome);
    }

    /** Refuses another format version, and names a stream that ends early as truncated. */
    static GroupState read(DataInput in) throws IOException {
        try {
            int version = in.readInt();
            if (version != WireFormat.VERSION) {
                throw new StreamCorruptedException("group state in wire format version " + version
                        + ", this build reads version " + WireFormat.VERSION + " only");
            }
            GroupState state = new GroupState(WireFormat.readGroupSpec(in), WireFormat.readVarLong(in));
            state.restoreClock(WireFormat.readVarLong(in), WireFormat.readVarLong(in), WireFormat.readVarLong(in),
                    WireFormat.readVarLong(in));
            int tickets = WireFormat.readCount(in, "waiting tickets");
            for (int i = 0; i < tickets; i++) state.tickets.restoreWaiting(WireFormat.readTicket(in));
            int leases = WireFormat.readCount(in, "leases");
            for (int i = 0; i < leases; i++) state.tickets.restoreLease(WireFormat.readLease(in), in.readBoolean());
            for (Deployment d : state.spec().deployments()) {
                DeploymentLoad load = WireFormat.readDeploymentLoad(in);
                if (!load.deploymentId().equals(d.id())) {
                    throw new StreamCorruptedException("expected the usage of deployment " + d.id() + ", found "
                            + load.deploymentId());
                }
                state.usage().restore(load);
            }
            state.nodes.readLastSeen(in);
            state.memo.readFrom(in, state.tickets::isLive);
            for (var outcome : WireFormat.readList(in, WireFormat::readOutcome, "recent outcomes")) {
                state.keepRecent(outcome);
            }
            return state;
        } catch (EOFException truncated) {
            throw (EOFException) new EOFException("group state truncated: the stream ended before the state did")
                    .initCause(truncated);
        }
    }
}
