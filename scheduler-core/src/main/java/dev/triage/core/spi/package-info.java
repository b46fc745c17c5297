/**
 * What a backend implements ({@link dev.triage.core.spi.SchedulerBackend}: run a {@link dev.triage.core.spi.Command}
 * atomically where a group's state lives, send each node its {@link dev.triage.core.spi.Notice}s) and what it may
 * use: the store clock, the shared per-group tick scheduler, health and counters. A backend decides nothing:
 * it runs {@link dev.triage.core.rules.GroupRules} on the state it keeps and ships their
 * {@link dev.triage.core.spi.Outcome}.
 */
package dev.triage.core.spi;
