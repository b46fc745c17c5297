/**
 * Triage's scheduler as a node uses it: {@link dev.triage.core.NodeScheduler} turns a call into a ticket and
 * answers with an {@link dev.triage.core.Admission} once the group grants it a lease; the values it speaks in
 * ({@link dev.triage.core.GroupSpec}, {@link dev.triage.core.Ticket}, {@link dev.triage.core.Lease},
 * {@link dev.triage.core.Usage}) and its errors. Where the group's state lives is a backend's business, behind
 * {@link dev.triage.core.spi}; what the rules decide is {@link dev.triage.core.rules}. The contract every backend
 * honours is docs/scheduling-contract.md.
 */
package dev.triage.core;
