package dev.triage.benchmarks.load;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs: the default run takes about five minutes, {@code --quick} under two.
 * {@code --quick} leaves out the admission cost at 100,000 waiting tickets: filling that queue alone takes about a
 * minute here.
 *
 * @param warmUp              throughput: before each measurement
 * @param measured            throughput: each measurement
 * @param queueTimeoutSeconds {@code router_settings.timeout} of the nodes
 * @param utilisationCalls    the sizes of the utilisation bursts
 * @param depths              waiting tickets for the admission-cost measurement
 * @param admissionCycles     measured cycles at each depth
 */
record Plan(boolean quick, Duration warmUp, Duration measured, Duration overheadWarmUp, Duration overheadMeasured,
            int queueTimeoutSeconds, List<Integer> utilisationCalls, List<Integer> depths, int admissionCycles) {

    static Plan of(boolean quick) {
        return quick
                ? new Plan(true, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), 10, List.of(100, 3_000), List.of(100, 10_000), 1_000)
                : new Plan(false, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), 20, List.of(100, 3_000, 10_000), List.of(100, 10_000, 100_000), 5_000);
    }
}
