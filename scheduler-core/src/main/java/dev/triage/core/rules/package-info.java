/**
 * The scheduling rules, written once for every backend: {@link dev.triage.core.rules.GroupRules} decides what one
 * command does to one {@link dev.triage.core.rules.GroupState} and records each decision as a
 * {@link dev.triage.core.rules.Change}, which a replica replays. Public only where a backend needs it: to create,
 * run, replay, snapshot and encode a state.
 */
package dev.triage.core.rules;
