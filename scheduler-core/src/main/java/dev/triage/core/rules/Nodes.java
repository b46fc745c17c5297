package dev.triage.core.rules;

import dev.triage.core.wire.WireFormat;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a group knows per node: when it was last seen (in a list, so that the scans every command makes allocate
 * nothing), and how many waiting tickets and leases it has (for reconcile digests, and so that a node drop scans
 * the queue only for a node that has something in it). Counts rather than id sets: a set entry per ticket was a
 * hash-map node made and a cold bucket touched on every queue and grant.
 */
final class Nodes {

    private static final class Seen {
        final String id;
        long at;

        Seen(String id, long at) {
            this.id = id;
            this.at = at;
        }
    }

    private static final class Holdings {
        int tickets;
        int leases;
    }

    private final List<Seen> seen = new ArrayList<>();
    private final Map<String, Seen> seenById = new HashMap<>();
    private final Map<String, Holdings> held = new HashMap<>();
    /** The earliest last-seen time, kept so that every command need not scan; {@code earliestKnown} false: to scan. */
    private long earliestSeen = Long.MAX_VALUE;
    private boolean earliestKnown = true;

    // ---- last seen ----

    /** The node was seen at {@code at}; an earlier time than the one known changes nothing. */
    void seen(String nodeId, long at) {
        Seen node = seenById.get(nodeId);
        if (node == null) {
            node = new Seen(nodeId, at);
            seenById.put(nodeId, node);
            seen.add(node);
            if (at < earliestSeen) earliestSeen = at;
        } else if (at > node.at) {
            if (node.at == earliestSeen) earliestKnown = false;
            node.at = at;
        }
    }

    void drop(String nodeId) {
        Seen dropped = seenById.remove(nodeId);
        if (dropped != null) {
            seen.remove(dropped);
            if (dropped.at == earliestSeen) earliestKnown = false;
        }
    }

    boolean knows(String nodeId) {
        return seenById.containsKey(nodeId);
    }

    /** Whether the node is known and was last seen at {@code at} or later. */
    boolean seenSince(String nodeId, long at) {
        Seen node = seenById.get(nodeId);
        return node != null && node.at >= at;
    }

    /** When the first node falls silent for {@code leaseBound}, or {@link Long#MAX_VALUE} if none is known. */
    long nextSilenceAt(long leaseBound) {
        if (!earliestKnown) {
            long at = Long.MAX_VALUE;
            for (int i = 0; i < seen.size(); i++) at = Math.min(at, seen.get(i).at);
            earliestSeen = at;
            earliestKnown = true;
        }
        return seen.isEmpty() ? Long.MAX_VALUE : earliestSeen + leaseBound;
    }

    /** The nodes silent for {@code leaseBound} at {@code now}, sorted by id. */
    List<String> silent(long now, long leaseBound) {
        List<String> silent = new ArrayList<>();
        for (Seen node : seen) {
            if (node.at + leaseBound <= now) silent.add(node.id);
        }
        silent.sort(null);
        return silent;
    }

    /** A copy. */
    Map<String, Long> lastSeen() {
        Map<String, Long> copy = new HashMap<>();
        for (Seen node : seen) copy.put(node.id, node.at);
        return Collections.unmodifiableMap(copy);
    }

    void writeLastSeen(DataOutput out) throws IOException {
        WireFormat.writeCount(out, seen.size());
        for (Seen node : seen) {
            WireFormat.writeString(out, node.id);
            WireFormat.writeVarLong(out, node.at);
        }
    }

    void readLastSeen(DataInput in) throws IOException {
        int count = WireFormat.readCount(in, "nodes last seen");
        for (int i = 0; i < count; i++) seen(WireFormat.readString(in, "a node id"), WireFormat.readVarLong(in));
    }

    // ---- holdings ----

    void hold(String nodeId, boolean lease) {
        Holdings holdings = held.computeIfAbsent(nodeId, n -> new Holdings());
        if (lease) holdings.leases++;
        else holdings.tickets++;
    }

    /** Called once for each {@link #hold} of the same node and kind. */
    void letGo(String nodeId, boolean lease) {
        Holdings holdings = held.get(nodeId);
        if (holdings == null) return;
        if (lease) holdings.leases--;
        else holdings.tickets--;
        if (holdings.tickets == 0 && holdings.leases == 0) held.remove(nodeId);
    }

    int heldCount(String nodeId, boolean lease) {
        Holdings holdings = held.get(nodeId);
        return holdings == null ? 0 : lease ? holdings.leases : holdings.tickets;
    }
}
