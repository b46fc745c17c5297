package dev.triage.core.tck;

import org.junit.jupiter.api.AfterEach;

/**
 * The scheduling contract every backend must pass (docs/scheduling-contract.md, rules 1-11). A backend's test extends this
 * and supplies its {@link BackendSpec}; every contract interface's tests then run against it.
 */
public abstract class AbstractSchedulerContractTest implements OrderContract, LimitsContract, DeadlineContract,
        CancelContract, SheddingContract, CooldownContract, RoutingContract, NodeContract, IdempotenceContract,
        ReconcileContract, WaiterContract, RandomHistoryContract, FaultContract, OperationCountContract,
        SpecChangeContract {

    private ContractHarness harness;

    protected abstract BackendSpec spec();

    @Override
    public ContractHarness harness() {
        if (harness == null) harness = new ContractHarness(spec());
        return harness;
    }

    @AfterEach
    void closeHarness() {
        if (harness != null) harness.close();
    }
}
