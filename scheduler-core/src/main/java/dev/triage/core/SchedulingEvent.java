package dev.triage.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A step of a call's way through the scheduler, as a Java Flight Recorder event: off unless a recording enables
 * {@value #NAME} (then it costs a timestamp per step), so a slot's hand-off from one call to the next can be
 * traced in production as in the benchmarks ({@code jcmd <pid> JFR.start settings=... }).
 */
@Name(SchedulingEvent.NAME)
@Label("Scheduling step")
@Category("Triage")
@Description("A step of a call through the scheduler: upstream ended, release sent, release answered, grant noticed,"
        + " upstream called")
@Enabled(false)
@StackTrace(false)
public final class SchedulingEvent extends jdk.jfr.Event {

    public static final String NAME = "dev.triage.Scheduling";

    public enum Stage { UPSTREAM_ENDED, RELEASE_SENT, RELEASE_ANSWERED, GRANT_NOTICED, UPSTREAM_CALLED }

    @Label("Stage")
    String stage;

    @Label("Lease")
    String leaseId;

    @Label("Ticket")
    String ticketId;

    public static void record(Stage stage, Lease lease) {
        SchedulingEvent event = new SchedulingEvent();
        if (!event.isEnabled()) return;
        event.stage = stage.name();
        event.leaseId = lease.id();
        event.ticketId = lease.ticketId();
        event.commit();
    }
}
