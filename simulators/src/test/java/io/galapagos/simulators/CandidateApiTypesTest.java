package io.galapagos.simulators;

import io.galapagos.simulators.cantbelate.ClusterType;
import io.galapagos.simulators.cantbelate.MultiRegionEnv;
import io.galapagos.simulators.cantbelate.MultiRegionStrategy;
import io.galapagos.simulators.cantbelate.SpotEnv;
import io.galapagos.simulators.cantbelate.SpotStrategy;
import io.galapagos.simulators.cloudcast.BroadcastPlanner;
import io.galapagos.simulators.cloudcast.BroadcastRequest;
import io.galapagos.simulators.cloudcast.CloudGraph;
import io.galapagos.simulators.cloudcast.Link;
import io.galapagos.simulators.eplb.ClusterShape;
import io.galapagos.simulators.eplb.ExpertPlacer;
import io.galapagos.simulators.eplb.Placement;
import io.galapagos.simulators.llmsql.ColumnType;
import io.galapagos.simulators.llmsql.Reordering;
import io.galapagos.simulators.llmsql.Table;
import io.galapagos.simulators.llmsql.TableReorderer;
import io.galapagos.simulators.noop.NoopCandidate;
import io.galapagos.simulators.prism.KvCachePressure;
import io.galapagos.simulators.prism.Model;
import io.galapagos.simulators.prism.PlacementPolicy;
import io.galapagos.simulators.telemetry.CounterRepair;
import io.galapagos.simulators.telemetry.InterfaceCounters;
import io.galapagos.simulators.telemetry.InterfaceRepair;
import io.galapagos.simulators.telemetry.StatusRepair;
import io.galapagos.simulators.telemetry.TelemetryRepairer;
import io.galapagos.simulators.txn.ArrivalWindow;
import io.galapagos.simulators.txn.OfflineScheduler;
import io.galapagos.simulators.txn.OnlineScheduler;
import io.galapagos.simulators.txn.Operation;
import io.galapagos.simulators.txn.Schedule;
import io.galapagos.simulators.txn.Transaction;
import io.galapagos.simulators.txn.Workload;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CandidateApiTypesTest {

    /** What each built-in task lets a candidate reference besides the JDK: the candidate API shown to models. */
    private static final Map<String, Set<Class<?>>> EXPECTED = Map.of(
            "cant-be-late", Set.of(SpotStrategy.class, SpotEnv.class, ClusterType.class),
            "cant-be-late-multi", Set.of(MultiRegionStrategy.class, MultiRegionEnv.class, SpotEnv.class, ClusterType.class),
            "cloudcast", Set.of(BroadcastPlanner.class, BroadcastRequest.class, CloudGraph.class, Link.class),
            "eplb", Set.of(ExpertPlacer.class, Placement.class, ClusterShape.class),
            "llm-sql", Set.of(TableReorderer.class, Table.class, ColumnType.class, Reordering.class),
            "noop", Set.of(NoopCandidate.class),
            "prism", Set.of(PlacementPolicy.class, Model.class, KvCachePressure.class),
            "telemetry-repair", Set.of(TelemetryRepairer.class, InterfaceCounters.class, InterfaceRepair.class,
                    CounterRepair.class, StatusRepair.class),
            "txn-offline", Set.of(OfflineScheduler.class, Workload.class, Transaction.class, Operation.class, Schedule.class),
            "txn-online", Set.of(OnlineScheduler.class, ArrivalWindow.class, Transaction.class, Operation.class,
                    Schedule.class));

    @Test
    void everyBuiltInTaskExposesExactlyItsCandidateApi() {
        Map<String, Set<String>> actual = new TreeMap<>();
        for (Task<?> task : TaskRegistry.load().all()) {
            actual.put(task.id(), names(task.candidateApiTypes()));
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        EXPECTED.forEach((id, types) -> expected.put(id, names(types)));

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void noApiTypeIsPartOfTheMachineryThatScoresTheCandidate() {
        for (Task<?> task : TaskRegistry.load().all()) {
            Set<Class<?>> api = task.candidateApiTypes();
            assertThat(api).as(task.id()).contains(task.candidateType());
            for (Class<?> type : api) {
                assertThat(type.getSimpleName()).as(task.id() + " exposes " + type.getName())
                        .doesNotEndWith("Simulator").doesNotEndWith("Evaluator").doesNotEndWith("Task")
                        .doesNotEndWith("Trace").doesNotEndWith("Case").doesNotEndWith("Generator")
                        .doesNotEndWith("Data").doesNotEndWith("Workloads");
                assertThat(Task.class.isAssignableFrom(type) || Evaluator.class.isAssignableFrom(type))
                        .as(task.id() + " exposes " + type.getName()).isFalse();
            }
        }
    }

    /** Whatever an API type's public members hand out is itself an API or a JDK type: the set is closed. */
    @Test
    void publicMembersOfApiTypesLeadOnlyToApiOrJdkTypes() {
        for (Task<?> task : TaskRegistry.load().all()) {
            Set<Class<?>> api = task.candidateApiTypes();
            for (Class<?> type : api) {
                for (Method method : type.getMethods()) {
                    List<Class<?>> used = new java.util.ArrayList<>(Arrays.asList(method.getParameterTypes()));
                    used.add(method.getReturnType());
                    for (Class<?> t : used) {
                        Class<?> element = t.isArray() ? t.componentType() : t;
                        while (element.isArray()) {
                            element = element.componentType();
                        }
                        assertThat(CandidateApiTypes.isJdk(element) || api.contains(element))
                                .as(task.id() + ": " + method + " uses " + element.getName()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void onlyTheTasksWhoseOriginalRunsAProcessPerRunIsolateRuns() {
        Set<String> isolating = TaskRegistry.load().all().stream().filter(Task::isolatesRuns).map(Task::id)
                .collect(Collectors.toSet());

        assertThat(isolating).containsExactlyInAnyOrder("cant-be-late", "cant-be-late-multi");
    }

    // a small API with every way one type can lead to another
    public static class Base {
    }

    public static final class Value extends Base {
    }

    public static final class Bound {
    }

    public static final class Element {
    }

    public static final class Oops extends Exception {
    }

    public static final class Made {
        public Made(Element[][] elements) {
        }
    }

    public static final class Constant {
        public static final Made MADE = new Made(new Element[0][]);
    }

    public static final class Hidden {
    }

    public interface Probe<T extends Comparable<T>> extends IntSupplier {
        Map<String, List<Value[]>> plan(Optional<? extends Bound> bound, T unused) throws Oops, IOException;

        Constant constant();

        /** Only public members count; a private helper's types are not reachable. */
        private Hidden hidden() {
            return new Hidden();
        }
    }

    @Test
    void derivationFollowsSignaturesGenericsArraysSupertypesAndThrowsButNotTheJdk() {
        Set<Class<?>> api = CandidateApiTypes.derive(Probe.class);

        assertThat(api).containsExactlyInAnyOrder(Probe.class, Value.class, Base.class, Bound.class, Oops.class,
                Constant.class, Made.class, Element.class);
        assertThat(api).doesNotContain(Hidden.class, IntSupplier.class, Map.class, Object.class);
    }

    @Test
    void aJdkCandidateInterfaceIsItsOwnApi() {
        assertThat(CandidateApiTypes.derive(IntSupplier.class)).containsExactly(IntSupplier.class);
    }

    private static Set<String> names(Set<Class<?>> types) {
        return types.stream().map(Class::getName).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
