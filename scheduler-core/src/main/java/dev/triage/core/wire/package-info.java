/**
 * The binary form of the scheduler's values, commands, outcomes and states: versioned, compact, and refusing a
 * corrupt or truncated stream by name. Every backend that ships state or commands between processes uses it.
 */
package dev.triage.core.wire;
