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
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final String LONG_ID = "ü-日本-".repeat(10_000) + "end";

    private static final Lease LEASE = new Lease("t1@3", "t1", "node-a", "d1", T0 / 60_000, 250, -3, 17, T0);
    private static final Lease ODD_LEASE = new Lease(LONG_ID, "", "n\u00e9", "d\u0000", Long.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, 0, -1);
    private static final Ticket TICKET = new Ticket("t1", -3, 17, "node-a", T0 + 30_000, 250, Set.of());
    private static final Ticket AVOIDING = new Ticket(LONG_ID, Long.MAX_VALUE, 1, "日本", Long.MIN_VALUE, 0,
            Set.of("d1", "d2", LONG_ID));

    private static final List<Result> RESULTS = List.of(new Result.Queued(42), new Result.Queued(Long.MIN_VALUE),
            new Result.Granted(LEASE), new Result.Granted(ODD_LEASE),
            new Result.Refused(Result.Refusal.QUEUE_FULL), new Result.Refused(Result.Refusal.NEVER_FITS),
            new Result.Refused(Result.Refusal.EXPIRED), new Result.Refused(Result.Refusal.LEASE_HELD),
            new Result.Refused(Result.Refusal.ALREADY_ENDED), new Result.Released(true), new Result.Released(false),
            new Result.Cancelled(Result.CancelEffect.WAS_WAITING), new Result.Cancelled(Result.CancelEffect.LEASE_RETURNED),
            new Result.Cancelled(Result.CancelEffect.UNKNOWN), new Result.Applied(),
            new Result.Reconciled(List.of(), 0, 0, false),
            new Result.Reconciled(List.of(new Notice.Granted(LEASE), new Notice.Ended("t9", EndReason.LOST)), 3, 2, true));

    private static final List<Notice> NOTICES = List.of(new Notice.Granted(LEASE), new Notice.Granted(ODD_LEASE),
            new Notice.Ended("t1", EndReason.EXPIRED), new Notice.Ended("t2", EndReason.SHED),
            new Notice.Ended("t3", EndReason.CANCELLED), new Notice.Ended("t4", EndReason.NODE_DROPPED),
            new Notice.Ended(LONG_ID, EndReason.LOST));

    private static final List<Change> CHANGES = List.of(new Change.ClockAdvanced(T0, T0 / 60_000),
            new Change.TicketQueued(TICKET), new Change.TicketQueued(AVOIDING),
            new Change.TicketEnded("t1", "node-a", EndReason.SHED), new Change.TicketEnded("t2", "", EndReason.CANCELLED),
            new Change.LeaseGranted(LEASE), new Change.LeaseEnded("t1@3", 120, false), new Change.LeaseEnded("l", 0, true),
            new Change.DeploymentFailed("d1", 0), new Change.DeploymentFailed("d2", T0 + 5_000),
            new Change.NodeSeen("node-a", T0), new Change.NodeDropped("node-b"),
            new Change.Remembered("t1", new Result.Queued(17), T0 + 15_000),
            new Change.Remembered("reconcile:n", RESULTS.get(RESULTS.size() - 1), T0),
            new Change.SpecAdopted(GroupSpec.of("g", Deployment.unlimited("d1").withMaxParallelRequests(4))
                    .loadedAt(T0)));

    private static final List<Command> COMMANDS = List.of(new Command.Enqueue("t1", -1, "node-a", T0 + 30_000, 250),
            new Command.Enqueue(LONG_ID, Long.MAX_VALUE, "日本", Long.MIN_VALUE, 0),
            new Command.Requeue("r1", "t1", 2, 17, "node-a", T0, 10, Set.of()),
            new Command.Requeue("r2", "t1", 2, 17, "node-a", T0, 10, Set.of("d1", "d2")),
            new Command.Release("t1@3", Usage.succeeded(99)), new Command.Release("t1@3", Usage.failed()),
            new Command.Release("t1@3", Usage.rateLimited(1_500)), new Command.Release("t1@3", Usage.notDispatched()),
            new Command.Cancel("t1"), new Command.RenewNode("node-a"), new Command.DropNode("node-b"),
            new Command.Tick(), Command.Reconcile.digest("node-a", 7, 12, 3),
            new Command.Reconcile("node-a", 0, List.of(TICKET, AVOIDING), List.of(LEASE, ODD_LEASE)));

    private static final GroupSpec SPEC = GroupSpec.of("g",
                    Deployment.unlimited("d1").withRpm(20).withMaxParallelRequests(2).withTpm(5_000),
                    Deployment.unlimited("d2").withRpm(8).withMaxParallelRequests(3).withWeight(2),
                    Deployment.unlimited("d3").withMaxParallelRequests(1).withOrder(2))
            .withMaxQueueSize(25).withCooldown(1, 3_000).withLeaseBound(10_000);

    // ---- values ----

    @Test
    void everyVariantOfResultChangeCommandAndNoticeSurvivesARoundTrip() throws IOException {
        for (Result r : RESULTS) assertThat(roundTrip(r, WireFormat::writeResult, WireFormat::readResult)).isEqualTo(r);
        for (Change c : CHANGES) assertThat(roundTrip(c, WireFormat::writeChange, WireFormat::readChange)).isEqualTo(c);
        for (Command c : COMMANDS) assertThat(roundTrip(c, WireFormat::writeCommand, WireFormat::readCommand)).isEqualTo(c);
        for (Notice n : NOTICES) assertThat(roundTrip(n, WireFormat::writeNotice, WireFormat::readNotice)).isEqualTo(n);

        assertThat(RESULTS).extracting(Object::getClass).containsAll(permitted(Result.class));
        assertThat(CHANGES).extracting(Object::getClass).containsAll(permitted(Change.class));
        assertThat(COMMANDS).extracting(Object::getClass).containsAll(permitted(Command.class));
        assertThat(NOTICES).extracting(Object::getClass).containsAll(permitted(Notice.class));
    }

    @Test
    void recordsSurviveARoundTrip() throws IOException {
        for (RoutingStrategy routing : RoutingStrategy.values()) {
            GroupSpec spec = SPEC.withRouting(routing);
            assertThat(roundTrip(spec, WireFormat::writeGroupSpec, WireFormat::readGroupSpec)).isEqualTo(spec);
        }
        GroupSpec loaded = SPEC.loadedAt(T0);
        assertThat(roundTrip(loaded, WireFormat::writeGroupSpec, WireFormat::readGroupSpec).version())
                .isEqualTo(new ConfigVersion(T0, SPEC.settingsDigest()));
        Deployment limits = new Deployment(LONG_ID, 1, Long.MAX_VALUE, Integer.MAX_VALUE, 7, 0);
        assertThat(roundTrip(limits, WireFormat::writeDeployment, WireFormat::readDeployment)).isEqualTo(limits);
        for (Ticket t : List.of(TICKET, AVOIDING)) {
            assertThat(roundTrip(t, WireFormat::writeTicket, WireFormat::readTicket)).isEqualTo(t);
        }
        for (Lease l : List.of(LEASE, ODD_LEASE)) {
            assertThat(roundTrip(l, WireFormat::writeLease, WireFormat::readLease)).isEqualTo(l);
        }
        for (Usage u : List.of(Usage.succeeded(5), Usage.failed(), Usage.rateLimited(9), Usage.notDispatched())) {
            assertThat(roundTrip(u, WireFormat::writeUsage, WireFormat::readUsage)).isEqualTo(u);
        }
        DeploymentLoad load = new DeploymentLoad("d1", 3, Long.MAX_VALUE, 2, 1, T0);
        assertThat(roundTrip(load, WireFormat::writeDeploymentLoad, WireFormat::readDeploymentLoad)).isEqualTo(load);
        for (EndReason reason : EndReason.values()) {
            assertThat(roundTrip(reason, WireFormat::writeEndReason, WireFormat::readEndReason)).isEqualTo(reason);
        }
        GroupSnapshot snapshot = new GroupSnapshot("g", 7, 12, T0, T0 / 60_000, List.of(TICKET, AVOIDING),
                List.of(LEASE, ODD_LEASE), List.of(load, new DeploymentLoad("d2", 0, 0, 0, 0, 0)));
        assertThat(roundTrip(snapshot, WireFormat::writeGroupSnapshot, WireFormat::readGroupSnapshot)).isEqualTo(snapshot);
        GroupSnapshot empty = new GroupSnapshot("", 0, 0, Long.MIN_VALUE, Long.MIN_VALUE, List.of(), List.of(), List.of());
        assertThat(roundTrip(empty, WireFormat::writeGroupSnapshot, WireFormat::readGroupSnapshot)).isEqualTo(empty);
    }

    @Test
    void anOutcomeSurvivesWithAndWithoutItsFirstRun() throws IOException {
        Outcome first = new Outcome(12, T0, 7, false, new Result.Granted(LEASE), CHANGES, T0 + 10_000);
        Outcome duplicate = new Outcome(15, T0 + 9, 7, true, new Result.Granted(LEASE), List.of(), Long.MAX_VALUE, first);
        Outcome forgotten = new Outcome(15, T0 + 9, 7, true, new Result.Applied(), List.of(), Long.MAX_VALUE, null);
        Outcome behind = new Outcome(16, T0 + 9, 7, false, new Result.Applied(), List.of(), Long.MAX_VALUE, null, true);
        for (Outcome o : List.of(first, duplicate, forgotten, behind)) {
            assertThat(roundTrip(o, WireFormat::writeOutcome, WireFormat::readOutcome)).isEqualTo(o);
        }
        assertThat(roundTrip(duplicate, WireFormat::writeOutcome, WireFormat::readOutcome).firstRun()).isEqualTo(first);
    }

    /** Enums travel as ordinals: reordering or removing a constant changes the format (and {@code VERSION}). */
    @Test
    void enumOrdinalsArePinned() {
        assertThat(EndReason.values()).containsExactly(EndReason.EXPIRED, EndReason.SHED, EndReason.CANCELLED,
                EndReason.NODE_DROPPED, EndReason.LOST);
        assertThat(RoutingStrategy.values()).containsExactly(RoutingStrategy.SIMPLE_SHUFFLE, RoutingStrategy.LEAST_BUSY,
                RoutingStrategy.USAGE_BASED_ROUTING);
        assertThat(Usage.Completion.values()).containsExactly(Usage.Completion.SUCCEEDED, Usage.Completion.FAILED,
                Usage.Completion.RATE_LIMITED, Usage.Completion.NOT_DISPATCHED);
        assertThat(Result.Refusal.values()).containsExactly(Result.Refusal.QUEUE_FULL, Result.Refusal.NEVER_FITS,
                Result.Refusal.EXPIRED, Result.Refusal.LEASE_HELD, Result.Refusal.ALREADY_ENDED);
        assertThat(Result.CancelEffect.values()).containsExactly(Result.CancelEffect.WAS_WAITING,
                Result.CancelEffect.LEASE_RETURNED, Result.CancelEffect.UNKNOWN);
    }

    @Test
    void anUnknownTagANullOrAnUnknownEnumCodeIsRefusedByName() throws IOException {
        assertThatThrownBy(() -> WireFormat.readCommand(input(encode(out -> out.writeByte(99)))))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected a Command, found unknown tag 99");
        assertThatThrownBy(() -> WireFormat.readResult(input(encode(out -> out.writeByte(0)))))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected a Result, found unknown tag 0");
        assertThatThrownBy(() -> WireFormat.readChange(input(encode(out -> out.writeByte(11)))))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected a Change, found unknown tag 11");
        assertThatThrownBy(() -> WireFormat.readNotice(input(encode(out -> out.writeByte(3)))))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected a Notice, found unknown tag 3");

        byte[] cancelOfNull = encode(out -> {
            out.writeByte(4);
            WireFormat.writeString(out, null);
        });
        assertThatThrownBy(() -> WireFormat.readCommand(input(cancelOfNull)))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected Cancel.ticketId, found null");
        assertThatThrownBy(() -> WireFormat.readEndReason(input(encode(out -> out.writeByte(5)))))
                .isInstanceOf(StreamCorruptedException.class).hasMessage("expected an EndReason, found unknown code 5");
        byte[] hugeString = encode(out -> WireFormat.writeCount(out, Integer.MAX_VALUE));
        assertThatThrownBy(() -> WireFormat.readString(input(hugeString), "Ticket.id"))
                .isInstanceOf(StreamCorruptedException.class).hasMessageContaining("Ticket.id of 2147483646 bytes");
    }

    // ---- helpers ----

    private static <T> T roundTrip(T value, WireFormat.Writer<T> writer, WireFormat.Reader<T> reader) throws IOException {
        DataInputStream in = input(encode(out -> writer.write(out, value)));
        T decoded = reader.read(in);
        assertThat(in.available()).as("bytes left after reading %s", value).isZero();
        return decoded;
    }

    private interface Encoding {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Encoding encoding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        encoding.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    private static List<Class<?>> permitted(Class<?> sealed) {
        return List.of(sealed.getPermittedSubclasses());
    }
}
