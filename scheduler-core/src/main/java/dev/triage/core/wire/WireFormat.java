package dev.triage.core.wire;

import dev.triage.core.ConfigVersion;
import dev.triage.core.Deployment;
import dev.triage.core.DeploymentLoad;
import dev.triage.core.EndReason;
import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.Lease;
import dev.triage.core.RoutingStrategy;
import dev.triage.core.Ticket;
import dev.triage.core.Usage;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Notice;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The binary form of every value that leaves a process: a group's state, the commands sent to it, its answers
 * and notices. It reads and writes plain {@link DataInput} and {@link DataOutput}, so a Hazelcast serializer
 * passes its streams straight in, and so can any other backend.
 *
 * <p>Layout: every int and long is a zigzag varint (7 bits a byte, low bits first, so small magnitudes take one
 * byte and a timestamp six); counts and string lengths are plain unsigned varints; a string is its UTF-8 bytes
 * after a length (0 for null, else the byte count plus one); a boolean is one byte;
 * a record is its components in declaration order; a variant is a one-byte tag (from 1), then its components;
 * an enum is its ordinal in one byte ({@code WireFormatTest} pins them: reordering an enum changes the format).
 * Any change to the layout bumps {@link #VERSION}.
 */
public final class WireFormat {

    /**
     * The version of this layout; a stored group state starts with it, as a plain four-byte int. 2: a group's
     * operation memory as one list of entries and a forget queue that points into it. 3: a group's settings carry
     * the version of the config they came from, a change can adopt newer settings, and an outcome says whether
     * the caller's settings were older than the group's.
     */
    public static final int VERSION = 3;
    /** The longest string a field may hold (ids and names are short): a longer length means a corrupt stream. */
    public static final int MAX_STRING_BYTES = 16 << 20;

    private static final EndReason[] END_REASONS = EndReason.values();
    private static final RoutingStrategy[] ROUTING_STRATEGIES = RoutingStrategy.values();
    private static final Usage.Completion[] COMPLETIONS = Usage.Completion.values();
    private static final Result.Refusal[] REFUSALS = Result.Refusal.values();
    private static final Result.CancelEffect[] CANCEL_EFFECTS = Result.CancelEffect.values();

    private WireFormat() {
    }

    /** Writes one value; used for the elements of lists. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    /** Reads one value; used for the elements of lists. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    // ---- building blocks ----

    public static void writeCount(DataOutput out, int count) throws IOException {
        if (count < 0) throw new IllegalArgumentException("a count must not be negative, was " + count);
        while ((count & ~0x7F) != 0) {
            out.writeByte((count & 0x7F) | 0x80);
            count >>>= 7;
        }
        out.writeByte(count);
    }

    public static int readCount(DataInput in, String what) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) throw corrupt("a negative count of " + what);
                return value;
            }
        }
        throw corrupt("a count of " + what + " longer than 5 bytes");
    }

    public static void writeVarLong(DataOutput out, long value) throws IOException {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.writeByte((int) (zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out.writeByte((int) zigzag);
    }

    public static long readVarLong(DataInput in) throws IOException {
        long zigzag = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (zigzag >>> 1) ^ -(zigzag & 1);
        }
        throw corrupt("a number longer than 10 bytes");
    }

    public static void writeVarInt(DataOutput out, int value) throws IOException {
        writeVarLong(out, value);
    }

    public static int readVarInt(DataInput in) throws IOException {
        long value = readVarLong(in);
        if (value != (int) value) throw corrupt("expected an int, found " + value);
        return (int) value;
    }

    /** Writes a string or null; whether null is allowed is the reader's call. */
    public static void writeString(DataOutput out, String value) throws IOException {
        if (value == null) {
            writeCount(out, 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + bytes.length + " bytes is over the " + MAX_STRING_BYTES
                    + " a field may hold");
        }
        writeCount(out, bytes.length + 1);
        out.write(bytes);
    }

    /** Reads a string that must be there; {@code what} names the field in the error. */
    public static String readString(DataInput in, String what) throws IOException {
        String value = readNullableString(in, what);
        if (value == null) throw corrupt("expected " + what + ", found null");
        return value;
    }

    public static String readNullableString(DataInput in, String what) throws IOException {
        int lengthPlusOne = readCount(in, "bytes of " + what);
        if (lengthPlusOne == 0) return null;
        int length = lengthPlusOne - 1;
        if (length > MAX_STRING_BYTES) throw corrupt(what + " of " + length + " bytes, over the limit of " + MAX_STRING_BYTES);
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static <T> void writeList(DataOutput out, Collection<T> values, Writer<? super T> writer) throws IOException {
        writeCount(out, values.size());
        for (T value : values) writer.write(out, value);
    }

    public static <T> List<T> readList(DataInput in, Reader<? extends T> reader, String what) throws IOException {
        int count = readCount(in, what);
        // Not sized by the count up front: a corrupt count then ends in EOF, not in a huge allocation.
        List<T> values = new ArrayList<>(Math.min(count, 1_024));
        for (int i = 0; i < count; i++) values.add(reader.read(in));
        return values;
    }

    private static void writeStringSet(DataOutput out, Set<String> values) throws IOException {
        writeCount(out, values.size());
        for (String value : values) writeString(out, value);
    }

    private static Set<String> readStringSet(DataInput in, String what) throws IOException {
        int count = readCount(in, what);
        if (count == 0) return Set.of();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < count; i++) values.add(readString(in, "an element of " + what));
        return values;
    }

    private static <E extends Enum<E>> E readEnum(DataInput in, E[] values, String what) throws IOException {
        int code = in.readUnsignedByte();
        if (code >= values.length) throw corrupt("expected " + what + ", found unknown code " + code);
        return values[code];
    }

    private static StreamCorruptedException unknownTag(String what, int tag) {
        return corrupt("expected " + what + ", found unknown tag " + tag);
    }

    private static StreamCorruptedException corrupt(String message) {
        return new StreamCorruptedException(message);
    }

    // ---- enums ----

    public static void writeEndReason(DataOutput out, EndReason value) throws IOException {
        out.writeByte(value.ordinal());
    }

    public static EndReason readEndReason(DataInput in) throws IOException {
        return readEnum(in, END_REASONS, "an EndReason");
    }

    public static void writeRoutingStrategy(DataOutput out, RoutingStrategy value) throws IOException {
        out.writeByte(value.ordinal());
    }

    public static RoutingStrategy readRoutingStrategy(DataInput in) throws IOException {
        return readEnum(in, ROUTING_STRATEGIES, "a RoutingStrategy");
    }

    // ---- the group's rules ----

    public static void writeDeployment(DataOutput out, Deployment d) throws IOException {
        writeString(out, d.id());
        writeVarLong(out, d.rpm());
        writeVarLong(out, d.tpm());
        writeVarInt(out, d.maxParallelRequests());
        writeVarInt(out, d.weight());
        writeVarInt(out, d.order());
    }

    public static Deployment readDeployment(DataInput in) throws IOException {
        return new Deployment(readString(in, "Deployment.id"), readVarLong(in), readVarLong(in), readVarInt(in),
                readVarInt(in), readVarInt(in));
    }

    public static void writeGroupSpec(DataOutput out, GroupSpec spec) throws IOException {
        writeString(out, spec.name());
        writeList(out, spec.deployments(), WireFormat::writeDeployment);
        writeRoutingStrategy(out, spec.routing());
        writeVarInt(out, spec.maxQueueSize());
        writeVarInt(out, spec.allowedFails());
        writeVarLong(out, spec.cooldownMillis());
        writeVarLong(out, spec.leaseBoundMillis());
        writeVarLong(out, spec.version().loadedAt());
        out.writeLong(spec.version().digest());
    }

    public static GroupSpec readGroupSpec(DataInput in) throws IOException {
        return new GroupSpec(readString(in, "GroupSpec.name"), readList(in, WireFormat::readDeployment, "deployments"),
                readRoutingStrategy(in), readVarInt(in), readVarInt(in), readVarLong(in), readVarLong(in),
                new ConfigVersion(readVarLong(in), in.readLong()));
    }

    // ---- tickets, leases, usage ----

    public static void writeTicket(DataOutput out, Ticket t) throws IOException {
        writeString(out, t.id());
        writeVarLong(out, t.priority());
        writeVarLong(out, t.arrival());
        writeString(out, t.nodeId());
        writeVarLong(out, t.deadline());
        writeVarLong(out, t.tokens());
        writeStringSet(out, t.avoid());
    }

    public static Ticket readTicket(DataInput in) throws IOException {
        return new Ticket(readString(in, "Ticket.id"), readVarLong(in), readVarLong(in), readString(in, "Ticket.nodeId"),
                readVarLong(in), readVarLong(in), readStringSet(in, "Ticket.avoid"));
    }

    public static void writeLease(DataOutput out, Lease l) throws IOException {
        writeString(out, l.id());
        writeString(out, l.ticketId());
        writeString(out, l.nodeId());
        writeString(out, l.deploymentId());
        writeVarLong(out, l.window());
        writeVarLong(out, l.tokensReserved());
        writeVarLong(out, l.priority());
        writeVarLong(out, l.arrival());
        writeVarLong(out, l.grantedAt());
    }

    public static Lease readLease(DataInput in) throws IOException {
        return new Lease(readString(in, "Lease.id"), readString(in, "Lease.ticketId"), readString(in, "Lease.nodeId"),
                readString(in, "Lease.deploymentId"), readVarLong(in), readVarLong(in), readVarLong(in), readVarLong(in),
                readVarLong(in));
    }

    public static void writeUsage(DataOutput out, Usage usage) throws IOException {
        writeVarLong(out, usage.tokensUsed());
        out.writeByte(usage.completion().ordinal());
        writeVarLong(out, usage.retryAfterMillis());
    }

    public static Usage readUsage(DataInput in) throws IOException {
        return new Usage(readVarLong(in), readEnum(in, COMPLETIONS, "a Usage.Completion"), readVarLong(in));
    }

    public static void writeDeploymentLoad(DataOutput out, DeploymentLoad load) throws IOException {
        writeString(out, load.deploymentId());
        writeVarLong(out, load.rpmUsed());
        writeVarLong(out, load.tpmUsed());
        writeVarInt(out, load.inFlight());
        writeVarInt(out, load.failures());
        writeVarLong(out, load.cooldownUntil());
    }

    public static DeploymentLoad readDeploymentLoad(DataInput in) throws IOException {
        return new DeploymentLoad(readString(in, "DeploymentLoad.deploymentId"), readVarLong(in), readVarLong(in),
                readVarInt(in), readVarInt(in), readVarLong(in));
    }

    // ---- what the store answers and pushes ----

    public static void writeNotice(DataOutput out, Notice notice) throws IOException {
        if (notice instanceof Notice.Granted g) {
            out.writeByte(1);
            writeLease(out, g.lease());
        } else if (notice instanceof Notice.Ended e) {
            out.writeByte(2);
            writeString(out, e.ticketId());
            writeEndReason(out, e.reason());
        } else {
            throw new IllegalArgumentException("cannot write notice " + notice);
        }
    }

    public static Notice readNotice(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Notice.Granted(readLease(in));
            case 2 -> new Notice.Ended(readString(in, "Notice.Ended.ticketId"), readEndReason(in));
            default -> throw unknownTag("a Notice", tag);
        };
    }

    public static void writeResult(DataOutput out, Result result) throws IOException {
        if (result instanceof Result.Queued q) {
            out.writeByte(1);
            writeVarLong(out, q.arrival());
        } else if (result instanceof Result.Granted g) {
            out.writeByte(2);
            writeLease(out, g.lease());
        } else if (result instanceof Result.Refused r) {
            out.writeByte(3);
            out.writeByte(r.reason().ordinal());
        } else if (result instanceof Result.Released r) {
            out.writeByte(4);
            out.writeBoolean(r.held());
        } else if (result instanceof Result.Cancelled c) {
            out.writeByte(5);
            out.writeByte(c.effect().ordinal());
        } else if (result instanceof Result.Applied) {
            out.writeByte(6);
        } else if (result instanceof Result.Reconciled r) {
            out.writeByte(7);
            writeList(out, r.notices(), WireFormat::writeNotice);
            writeVarInt(out, r.reRegisteredTickets());
            writeVarInt(out, r.reRegisteredLeases());
            out.writeBoolean(r.inSync());
        } else {
            throw new IllegalArgumentException("cannot write result " + result);
        }
    }

    public static Result readResult(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Result.Queued(readVarLong(in));
            case 2 -> new Result.Granted(readLease(in));
            case 3 -> new Result.Refused(readEnum(in, REFUSALS, "a Result.Refusal"));
            case 4 -> new Result.Released(in.readBoolean());
            case 5 -> new Result.Cancelled(readEnum(in, CANCEL_EFFECTS, "a Result.CancelEffect"));
            case 6 -> new Result.Applied();
            case 7 -> new Result.Reconciled(readList(in, WireFormat::readNotice, "notices"), readVarInt(in), readVarInt(in),
                    in.readBoolean());
            default -> throw unknownTag("a Result", tag);
        };
    }

    public static void writeChange(DataOutput out, Change change) throws IOException {
        if (change instanceof Change.ClockAdvanced c) {
            out.writeByte(1);
            writeVarLong(out, c.now());
            writeVarLong(out, c.window());
        } else if (change instanceof Change.TicketQueued q) {
            out.writeByte(2);
            writeTicket(out, q.ticket());
        } else if (change instanceof Change.TicketEnded e) {
            out.writeByte(3);
            writeString(out, e.ticketId());
            writeString(out, e.nodeId());
            writeEndReason(out, e.reason());
        } else if (change instanceof Change.LeaseGranted g) {
            out.writeByte(4);
            writeLease(out, g.lease());
        } else if (change instanceof Change.LeaseEnded e) {
            out.writeByte(5);
            writeString(out, e.leaseId());
            writeVarLong(out, e.tokensUsed());
            out.writeBoolean(e.refund());
        } else if (change instanceof Change.DeploymentFailed f) {
            out.writeByte(6);
            writeString(out, f.deploymentId());
            writeVarLong(out, f.cooldownUntil());
        } else if (change instanceof Change.NodeSeen n) {
            out.writeByte(7);
            writeString(out, n.nodeId());
            writeVarLong(out, n.at());
        } else if (change instanceof Change.NodeDropped d) {
            out.writeByte(8);
            writeString(out, d.nodeId());
        } else if (change instanceof Change.Remembered r) {
            out.writeByte(9);
            writeString(out, r.opId());
            writeResult(out, r.result());
            writeVarLong(out, r.forgetAt());
        } else if (change instanceof Change.SpecAdopted a) {
            out.writeByte(10);
            writeGroupSpec(out, a.spec());
        } else {
            throw new IllegalArgumentException("cannot write change " + change);
        }
    }

    public static Change readChange(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Change.ClockAdvanced(readVarLong(in), readVarLong(in));
            case 2 -> new Change.TicketQueued(readTicket(in));
            case 3 -> new Change.TicketEnded(readString(in, "TicketEnded.ticketId"), readString(in, "TicketEnded.nodeId"),
                    readEndReason(in));
            case 4 -> new Change.LeaseGranted(readLease(in));
            case 5 -> new Change.LeaseEnded(readString(in, "LeaseEnded.leaseId"), readVarLong(in), in.readBoolean());
            case 6 -> new Change.DeploymentFailed(readString(in, "DeploymentFailed.deploymentId"), readVarLong(in));
            case 7 -> new Change.NodeSeen(readString(in, "NodeSeen.nodeId"), readVarLong(in));
            case 8 -> new Change.NodeDropped(readString(in, "NodeDropped.nodeId"));
            case 9 -> new Change.Remembered(readString(in, "Remembered.opId"), readResult(in), readVarLong(in));
            case 10 -> new Change.SpecAdopted(readGroupSpec(in));
            default -> throw unknownTag("a Change", tag);
        };
    }

    /** Writes an outcome, and its first run (null, or an outcome) after it. */
    public static void writeOutcome(DataOutput out, Outcome outcome) throws IOException {
        writeVarLong(out, outcome.commit());
        writeVarLong(out, outcome.now());
        writeVarLong(out, outcome.epoch());
        out.writeBoolean(outcome.duplicate());
        writeResult(out, outcome.result());
        writeList(out, outcome.changes(), WireFormat::writeChange);
        writeVarLong(out, outcome.nextEventAt());
        out.writeBoolean(outcome.firstRun() != null);
        if (outcome.firstRun() != null) writeOutcome(out, outcome.firstRun());
        out.writeBoolean(outcome.callerBehind());
    }

    public static Outcome readOutcome(DataInput in) throws IOException {
        long commit = readVarLong(in);
        long now = readVarLong(in);
        long epoch = readVarLong(in);
        boolean duplicate = in.readBoolean();
        Result result = readResult(in);
        List<Change> changes = readList(in, WireFormat::readChange, "changes");
        long nextEventAt = readVarLong(in);
        Outcome firstRun = in.readBoolean() ? readOutcome(in) : null;
        return new Outcome(commit, now, epoch, duplicate, result, changes, nextEventAt, firstRun, in.readBoolean());
    }

    public static void writeGroupSnapshot(DataOutput out, GroupSnapshot snapshot) throws IOException {
        writeString(out, snapshot.group());
        writeVarLong(out, snapshot.epoch());
        writeVarLong(out, snapshot.commit());
        writeVarLong(out, snapshot.now());
        writeVarLong(out, snapshot.window());
        writeList(out, snapshot.waiting(), WireFormat::writeTicket);
        writeList(out, snapshot.leases(), WireFormat::writeLease);
        writeList(out, snapshot.loads(), WireFormat::writeDeploymentLoad);
    }

    public static GroupSnapshot readGroupSnapshot(DataInput in) throws IOException {
        return new GroupSnapshot(readString(in, "GroupSnapshot.group"), readVarLong(in), readVarLong(in), readVarLong(in),
                readVarLong(in), readList(in, WireFormat::readTicket, "waiting tickets"),
                readList(in, WireFormat::readLease, "leases"), readList(in, WireFormat::readDeploymentLoad, "loads"));
    }

    // ---- what nodes ask ----

    public static void writeCommand(DataOutput out, Command command) throws IOException {
        if (command instanceof Command.Enqueue e) {
            out.writeByte(1);
            writeString(out, e.ticketId());
            writeVarLong(out, e.priority());
            writeString(out, e.nodeId());
            writeVarLong(out, e.deadline());
            writeVarLong(out, e.tokens());
        } else if (command instanceof Command.Requeue r) {
            out.writeByte(2);
            writeString(out, r.opId());
            writeString(out, r.ticketId());
            writeVarLong(out, r.priority());
            writeVarLong(out, r.arrival());
            writeString(out, r.nodeId());
            writeVarLong(out, r.deadline());
            writeVarLong(out, r.tokens());
            writeStringSet(out, r.avoid());
        } else if (command instanceof Command.Release r) {
            out.writeByte(3);
            writeString(out, r.leaseId());
            writeUsage(out, r.usage());
        } else if (command instanceof Command.Cancel c) {
            out.writeByte(4);
            writeString(out, c.ticketId());
        } else if (command instanceof Command.RenewNode r) {
            out.writeByte(5);
            writeString(out, r.nodeId());
        } else if (command instanceof Command.DropNode d) {
            out.writeByte(6);
            writeString(out, d.nodeId());
        } else if (command instanceof Command.Tick) {
            out.writeByte(7);
        } else if (command instanceof Command.Reconcile r) {
            out.writeByte(8);
            writeString(out, r.nodeId());
            writeVarLong(out, r.knownEpoch());
            writeList(out, r.waiting(), WireFormat::writeTicket);
            writeList(out, r.leases(), WireFormat::writeLease);
            out.writeBoolean(r.digest());
            writeVarInt(out, r.waitingCount());
            writeVarInt(out, r.leaseCount());
        } else {
            throw new IllegalArgumentException("cannot write command " + command);
        }
    }

    public static Command readCommand(DataInput in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Command.Enqueue(readString(in, "Enqueue.ticketId"), readVarLong(in),
                    readString(in, "Enqueue.nodeId"), readVarLong(in), readVarLong(in));
            case 2 -> new Command.Requeue(readString(in, "Requeue.opId"), readString(in, "Requeue.ticketId"),
                    readVarLong(in), readVarLong(in), readString(in, "Requeue.nodeId"), readVarLong(in), readVarLong(in),
                    readStringSet(in, "Requeue.avoid"));
            case 3 -> new Command.Release(readString(in, "Release.leaseId"), readUsage(in));
            case 4 -> new Command.Cancel(readString(in, "Cancel.ticketId"));
            case 5 -> new Command.RenewNode(readString(in, "RenewNode.nodeId"));
            case 6 -> new Command.DropNode(readString(in, "DropNode.nodeId"));
            case 7 -> new Command.Tick();
            case 8 -> new Command.Reconcile(readString(in, "Reconcile.nodeId"), readVarLong(in),
                    readList(in, WireFormat::readTicket, "Reconcile.waiting"),
                    readList(in, WireFormat::readLease, "Reconcile.leases"), in.readBoolean(), readVarInt(in),
                    readVarInt(in));
            default -> throw unknownTag("a Command", tag);
        };
    }
}
