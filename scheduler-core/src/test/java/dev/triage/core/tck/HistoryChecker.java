package dev.triage.core.tck;


import dev.triage.core.GroupSnapshot;
import dev.triage.core.GroupSpec;
import dev.triage.core.rules.Change;
import dev.triage.core.spi.Command;
import dev.triage.core.spi.Outcome;
import dev.triage.core.spi.Result;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Judges a {@link History} recorded from any number of threads: puts each group's commands in commit order
 * (a duplicate after the commit it reports: it saw that state and changed nothing), checks that commits are
 * unique and gap-free and agree with real time, then replays them through the {@link ReferenceModel} and the
 * {@link HistoryInvariants}, each with the settings its command carried, and finally compares both with the
 * backend's snapshot.
 */
public final class HistoryChecker {

    private static final Comparator<HistoryEntry> COMMIT_ORDER =
            Comparator.comparingLong(HistoryEntry::commit).thenComparing(HistoryEntry::duplicate);

    private HistoryChecker() {
    }

    /**
     * @param finalSnapshot a snapshot of each group taken after the last command, or null to skip that comparison
     */
    public static HistorySummary check(History history, Collection<GroupSpec> groups,
                                       Function<String, GroupSnapshot> finalSnapshot) {
        Map<String, List<HistoryEntry>> byGroup = new TreeMap<>();
        for (GroupSpec spec : groups) byGroup.put(spec.name(), new ArrayList<>());
        for (HistoryEntry entry : history.entries()) {
            if (entry.failure() != null) throw new AssertionError("a command failed: " + entry, entry.failure());
            List<HistoryEntry> of = byGroup.get(entry.group());
            if (of == null) throw new AssertionError("a command for a group not checked: " + entry);
            of.add(entry);
        }
        HistorySummary summary = HistorySummary.empty();
        for (GroupSpec spec : groups) {
            List<HistoryEntry> entries = withLostFirstRuns(byGroup.get(spec.name()));
            entries.sort(COMMIT_ORDER);
            Map<HistoryEntry, Integer> reruns = lostFirstRunsOfRerunnables(entries);
            checkCommits(entries, reruns);
            long overlapping = checkRealTime(entries);
            summary = summary.plus(replay(spec, entries, reruns, history,
                    finalSnapshot == null ? null : finalSnapshot.apply(spec.name())))
                    .plus(new HistorySummary(Map.of("overlapping", overlapping)));
        }
        return summary;
    }

    /**
     * A store member that dies after running a command but before answering leaves its caller a duplicate's answer
     * when the call is retried; the history then lacks the first run. The first run's outcome, which the duplicate
     * carries, stands in for it, in the same call's time span.
     */
    private static List<HistoryEntry> withLostFirstRuns(List<HistoryEntry> entries) {
        Set<String> ran = new HashSet<>();
        for (HistoryEntry e : entries) {
            if (!e.duplicate()) ran.add(e.command().opId());
        }
        List<HistoryEntry> completed = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            Outcome first = e.outcome().firstRun();
            if (e.duplicate() && first != null && ran.add(e.command().opId())) {
                completed.add(new HistoryEntry(e.group(), e.command(), e.startNanos(), e.endNanos(), first, null,
                        e.callerSpec()));
            } else {
                completed.add(e);
            }
        }
        return completed;
    }

    /**
     * A command without an operation id to remember (tick, heartbeat, drop) that the store ran twice, once on a member
     * that died before answering and again when the call was retried, takes two commits, and the history holds only
     * the second. Alone, its lost first run is the commit just before its own. In a batch (several commands in one
     * call) the first runs of the batch's later commands come between: the lost commit stands before a command of
     * the same call, so before one whose call overlaps the rerunnable one's in time, with the rerunnable's recorded
     * commit after it. Returns, for each entry, how many such lost commits stand just before it; each rerunnable
     * command accounts for one at most.
     */
    private static Map<HistoryEntry, Integer> lostFirstRunsOfRerunnables(List<HistoryEntry> entries) {
        Map<HistoryEntry, Integer> before = new IdentityHashMap<>();
        Set<HistoryEntry> used = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        long expected = 1;
        for (int i = 0; i < entries.size(); i++) {
            HistoryEntry e = entries.get(i);
            if (e.duplicate()) continue;
            long gap = e.commit() - expected;
            int found = 0;
            for (int j = i; j < entries.size() && found < gap; j++) {
                HistoryEntry r = entries.get(j);
                if (r.duplicate() || !ReferenceModel.rerunnable(r.command()) || used.contains(r)) continue;
                if (r.startNanos() > e.endNanos() || r.endNanos() < e.startNanos()) continue;
                used.add(r);
                found++;
            }
            if (gap > 0 && found == gap) before.put(e, found);
            expected = e.commit() + 1;
        }
        return before;
    }

    /**
     * Each new command takes the next commit: 1, 2, 3... with none missing (a missing one ran unrecorded), but for
     * the lost first runs of rerunnable commands ({@link #lostFirstRunsOfRerunnables}).
     */
    private static void checkCommits(List<HistoryEntry> entries, Map<HistoryEntry, Integer> reruns) {
        long expected = 1;
        for (HistoryEntry e : entries) {
            if (e.duplicate()) continue;
            expected += reruns.getOrDefault(e, 0);
            if (e.commit() != expected) {
                throw new AssertionError("commit " + e.commit() + " where " + expected + " was due: " + e
                        + (e.commit() > expected ? "\n  (a command ran that the history did not record, e.g. a Tick"
                        + " the backend ran itself, or a commit number was skipped)" : "\n  (commit reused)"));
            }
            expected++;
        }
    }

    /**
     * If A's answer came before B was sent, B saw A's commit: commit(A) <= the commit B saw. Returns how many
     * commands were in flight while another was (so a concurrent run can show it was one).
     */
    private static long checkRealTime(List<HistoryEntry> entries) {
        List<HistoryEntry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(HistoryEntry::startNanos));
        List<HistoryEntry> byEnd = new ArrayList<>(entries);
        byEnd.sort(Comparator.comparingLong(HistoryEntry::endNanos));
        HistoryEntry latest = null;
        int ended = 0;
        for (HistoryEntry b : byStart) {
            while (ended < byEnd.size() && byEnd.get(ended).endNanos() < b.startNanos()) {
                HistoryEntry a = byEnd.get(ended++);
                if (latest == null || a.commit() > latest.commit()) latest = a;
            }
            if (latest != null && latest.commit() > b.sawCommit()) {
                throw new AssertionError("real-time order broken: " + latest + "\n  was answered before\n  " + b
                        + "\n  was sent, yet the latter saw only commit " + b.sawCommit());
            }
        }
        long overlapping = 0;
        long lastEnd = Long.MIN_VALUE;
        for (HistoryEntry b : byStart) {
            if (b.startNanos() < lastEnd) overlapping++;
            lastEnd = Math.max(lastEnd, b.endNanos());
        }
        return overlapping;
    }

    private static HistorySummary replay(GroupSpec spec, List<HistoryEntry> entries,
                                         Map<HistoryEntry, Integer> reruns, History history, GroupSnapshot last) {
        ReferenceModel model = new ReferenceModel(spec);
        HistoryInvariants invariants = new HistoryInvariants(spec);
        Map<String, Long> counts = new TreeMap<>();
        for (int step = 0; step < entries.size(); step++) {
            HistoryEntry e = entries.get(step);
            int at = step;
            try {
                for (int lost = reruns.getOrDefault(e, 0); lost > 0; lost--) {
                    model.rerun();
                    counts.merge("reruns", 1L, Long::sum);
                }
                model.check(step, e.command(), e.outcome(), e.callerSpec() != null ? e.callerSpec() : spec);
                invariants.accept(() -> "step " + at + ": " + e, e.command(), e.outcome());
                GroupSnapshot between = e.duplicate() ? null : history.snapshotAt(spec.name(), e.commit());
                if (between != null) model.assertMatches(between);
            } catch (AssertionError error) {
                throw new AssertionError(spec.name() + ", " + error.getMessage() + "\n" + context(entries, step),
                        error);
            }
            count(counts, e);
        }
        if (last != null) {
            try {
                model.assertMatches(last);
                invariants.assertMatches(last);
            } catch (AssertionError error) {
                throw new AssertionError(spec.name() + ", " + error.getMessage() + "\n"
                        + context(entries, entries.size() - 1), error);
            }
        }
        return new HistorySummary(counts);
    }

    private static void count(Map<String, Long> counts, HistoryEntry e) {
        counts.merge("commands", 1L, Long::sum);
        if (e.duplicate()) counts.merge("duplicates", 1L, Long::sum);
        Result r = e.outcome().result();
        String kind = r.getClass().getSimpleName().toLowerCase();
        if (r instanceof Result.Refused refused) kind = "refused:" + refused.reason();
        if (r instanceof Result.Cancelled cancelled) kind = "cancelled:" + cancelled.effect();
        if (r instanceof Result.Released released) kind = "released:" + released.held();
        counts.merge(kind, 1L, Long::sum);
        if (e.command() instanceof Command.Requeue) counts.merge("requeues", 1L, Long::sum);
        if (e.outcome().callerBehind()) counts.merge("callerBehind", 1L, Long::sum);
        for (Change change : e.outcome().changes()) {
            if (change instanceof Change.LeaseGranted) counts.merge("grants", 1L, Long::sum);
            if (change instanceof Change.TicketEnded end) counts.merge("ended:" + end.reason(), 1L, Long::sum);
            if (change instanceof Change.DeploymentFailed f && f.cooldownUntil() > 0) {
                counts.merge("cooldowns", 1L, Long::sum);
            }
            if (change instanceof Change.ClockAdvanced) counts.merge("clockAdvances", 1L, Long::sum);
            if (change instanceof Change.SpecAdopted) counts.merge("specAdopted", 1L, Long::sum);
        }
    }

    /** The commands around a failing step, in commit order, for the failure message. */
    private static String context(List<HistoryEntry> entries, int step) {
        StringBuilder text = new StringBuilder("history before it (commit order):");
        for (int i = Math.max(0, step - 12); i <= step && i < entries.size(); i++) {
            text.append("\n  ").append(i == step ? "> " : "  ").append(entries.get(i));
        }
        if (step < entries.size()) text.append("\n  changes: ").append(entries.get(step).outcome().changes());
        return text.toString();
    }
}
