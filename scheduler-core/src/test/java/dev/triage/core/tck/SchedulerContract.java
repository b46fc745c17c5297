package dev.triage.core.tck;

/**
 * What the contract's test interfaces need from the concrete test class: the harness of the running test.
 * Extend {@link AbstractSchedulerContractTest} rather than implementing this directly.
 */
public interface SchedulerContract {

    ContractHarness harness();
}
