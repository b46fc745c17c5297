package dev.triage.benchmarks.load;

/** What every scenario uses: the plan, the upstream, the client and the report. */
record Rig(Plan plan, UpstreamProcess upstream, LoadGenerator load, Report report) {
}
