/** The in-memory backend: one process, the reference every other backend is compared with. */
package dev.triage.core.memory;
