package io.galapagos.simulators.txn;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// integration lane: slow, simulates every workload
@Tag("integration")
class TxnTaskTest {

    private static final Evaluator<OfflineScheduler> OFFLINE = new TxnOfflineTask().evaluator(DataSource.synthetic());
    private static final Evaluator<OnlineScheduler> ONLINE = new TxnOnlineTask().evaluator(DataSource.synthetic());

    private static EvaluationReport offline(String body) {
        String source = """
                import io.galapagos.simulators.txn.*;
                public class Probe implements OfflineScheduler {
                    public int[] schedule(Workload workload) {
                        int n = workload.size();
                        %s
                    }
                }
                """.formatted(body);
        return OFFLINE.evaluate(Candidates.compile(source, OfflineScheduler.class), Split.TRAIN);
    }

    @Test
    void bothTasksAreRegisteredWithTheirBaselines() {
        TaskRegistry registry = TaskRegistry.load();
        assertThat(registry.find("txn-offline")).isPresent();
        assertThat(registry.find("txn-online")).isPresent();
        for (Task<?> task : List.of(new TxnOfflineTask(), new TxnOnlineTask())) {
            assertThat(task.baselines()).extracting(Baseline::name).containsExactly("initial", "identity", "smf");
            assertThat(task.featureMetric()).isEqualTo("makespan");
            assertThat(task.problemStatement()).contains("makespan").doesNotContain("{{");
            assertThat(task.candidateApi()).contains(task.candidateType().getSimpleName()).contains("class Schedule");
            for (Baseline b : task.baselines()) {
                assertThat(b.source()).contains("// EVOLVE-BLOCK-START").contains("// EVOLVE-BLOCK-END");
            }
        }
    }

    @Test
    void everyBaselineRunsOnEverySyntheticSplit() {
        for (String name : List.of("initial", "identity", "smf")) {
            for (Split split : Split.values()) {
                EvaluationReport off = OFFLINE.evaluate(Candidates.baseline(new TxnOfflineTask(), name), split);
                EvaluationReport on = ONLINE.evaluate(Candidates.baseline(new TxnOnlineTask(), name), split);
                assertThat(off.status()).as(off.feedback()).isEqualTo(EvaluationStatus.OK);
                assertThat(on.status()).as(on.feedback()).isEqualTo(EvaluationStatus.OK);
                assertThat(off.runs()).hasSize(OFFLINE.runCount(split));
            }
        }
        assertThat(OFFLINE.runCount(Split.SMOKE)).isEqualTo(3);
        assertThat(OFFLINE.runCount(Split.TEST)).isEqualTo(6);
    }

    @Test
    void smfBeatsTheIdentityOrderOnTheHotKeyWorkload() {
        EvaluationReport smf = OFFLINE.evaluate(Candidates.baseline(new TxnOfflineTask(), "smf"), Split.TRAIN);
        EvaluationReport identity = OFFLINE.evaluate(Candidates.baseline(new TxnOfflineTask(), "identity"), Split.TRAIN);
        assertThat((Integer) smf.runs().get(0).get("makespan")).isLessThan((Integer) identity.runs().get(0).get("makespan"));
    }

    @Test
    void incompletePermutationIsAConstraintViolationListingTheMissing() {
        EvaluationReport report = offline("int[] o = new int[n - 2]; for (int i = 0; i < n - 2; i++) o[i] = i; return o;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("workload hot-keys").contains("98 of 100").contains("missing: 98, 99");
        assertThat(report.violations()).hasSize(1);
    }

    @Test
    void duplicateTransactionIsAConstraintViolation() {
        EvaluationReport report = offline("int[] o = new int[n]; for (int i = 0; i < n; i++) o[i] = i; o[5] = 3; return o;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("transaction 3 is scheduled twice (positions 3 and 5)");
    }

    @Test
    void unknownIdAndNullAreConstraintViolations() {
        assertThat(offline("int[] o = new int[n]; for (int i = 0; i < n; i++) o[i] = i + 1; return o;").feedback())
                .contains("position 99 holds 100");
        assertThat(offline("return null;").status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
    }

    @Test
    void candidateExceptionIsARuntimeErrorNamingTheWorkload() {
        EvaluationReport report = offline("if (workload.name().equals(\"mixed-length\")) throw new IllegalStateException(\"boom\"); "
                + "int[] o = new int[n]; for (int i = 0; i < n; i++) o[i] = i; return o;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("workload mixed-length").contains("IllegalStateException: boom").contains("Probe.schedule");
        assertThat(report.runs()).hasSize(1);
        assertThat(report.score()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void onlinePickOutsideTheWindowIsAConstraintViolationNamingTheStep() {
        String source = """
                import io.galapagos.simulators.txn.*;
                public class Greedy implements OnlineScheduler {
                    public int next(ArrivalWindow window) {
                        return window.scheduled().size() == 3 ? 99 : window.window().get(0).id();
                    }
                }
                """;
        EvaluationReport report = ONLINE.evaluate(Candidates.compile(source, OnlineScheduler.class), Split.TRAIN);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("step 3: transaction 99 is not waiting in the window (waiting: 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)");
    }

    @Test
    void onlineSchedulerSeesOnlyTheWindow() {
        String source = """
                import io.galapagos.simulators.txn.*;
                public class Peek implements OnlineScheduler {
                    public int next(ArrivalWindow window) {
                        if (window.window().size() > window.capacity()) throw new IllegalStateException("too many");
                        if (window.window().size() + window.scheduled().size() + window.pendingArrivals() != window.workloadSize())
                            throw new IllegalStateException("lost a transaction");
                        return window.makespanIfAppended(window.window().get(0).id()) >= 0 ? window.window().get(0).id() : -1;
                    }
                }
                """;
        assertThat(ONLINE.evaluate(Candidates.compile(source, OnlineScheduler.class), Split.TRAIN).status())
                .isEqualTo(EvaluationStatus.OK);
    }

    @Test
    void feedbackRanksWorkloadsAgainstTheIdentityOrder() {
        EvaluationReport report = OFFLINE.evaluate(Candidates.baseline(new TxnOfflineTask(), "smf"), Split.TRAIN);
        assertThat(report.feedback()).contains("Total makespan").contains("worst relative to the identity order first")
                .contains("hot-keys").contains("mixed-length").contains("read-write");
    }

    @Test
    void generatorIsDeterministicPerSeedAndShapedLikeThePublishedWorkloads() {
        WorkloadGenerator generator = new WorkloadGenerator();
        List<Workload> a = generator.generate(5, 100, "");
        List<Workload> b = new WorkloadGenerator().generate(5, 100, "");
        List<Workload> c = generator.generate(6, 100, "");
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a.get(0).transactions()).allSatisfy(t -> assertThat(t.operations()).hasSize(16));
        assertThat(a.get(1).transaction(0).length()).isEqualTo(21);
        assertThat(a.get(1).transaction(99).length()).isEqualTo(5);
        assertThat(a.get(2).transactions()).allSatisfy(t -> assertThat(t.length()).isEqualTo(9));
        long hot = a.get(0).transactions().stream().filter(t -> t.operations().stream().anyMatch(o -> o.key() == 1)).count();
        assertThat(hot).isGreaterThan(50);
    }
}
