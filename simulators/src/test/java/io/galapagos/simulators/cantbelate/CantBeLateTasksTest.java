package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CantBeLateTasksTest {

    @Test
    void bothTasksAreFoundThroughTheServiceLoader() {
        TaskRegistry registry = TaskRegistry.load();

        assertThat(registry.require("cant-be-late")).isInstanceOf(CantBeLateTask.class);
        assertThat(registry.require("cant-be-late-multi")).isInstanceOf(CantBeLateMultiTask.class);
    }

    @Test
    void shippedCandidatesAreCompilableClassesWithAnEvolveBlock() {
        List<Task<?>> tasks = List.of(new CantBeLateTask(), new CantBeLateMultiTask());
        for (Task<?> task : tasks) {
            assertThat(task.initialProgram().name()).isEqualTo(Baseline.INITIAL);
            for (Baseline baseline : task.baselines()) {
                String source = baseline.source();
                List<String> lines = source.lines().map(String::strip).toList();
                assertThat(lines).as(baseline.name()).containsOnlyOnce("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-END");
                assertThat(lines.indexOf("// EVOLVE-BLOCK-START")).isLessThan(lines.indexOf("// EVOLVE-BLOCK-END"));
                assertThat(source).doesNotContain("package ");
                assertThat(ShippedCandidates.baseline(task, baseline.name()).get())
                        .isInstanceOf(task.candidateType());
            }
            assertThat(task.featureMetric()).isEqualTo("avgCost");
            assertThat(task.problemStatement()).startsWith("# Can't Be Late");
        }
        assertThat(new CantBeLateTask().baselines()).extracting(Baseline::name)
                .containsExactly("initial", "uniform-progress", "on-demand");
    }

    @Test
    void candidateApiTextShowsEveryMethodOfTheInterfaces() {
        assertThat(new CantBeLateTask().candidateApi()).contains(signatures(SpotEnv.class, SpotStrategy.class))
                .contains("enum ClusterType { NONE, SPOT, ON_DEMAND }").doesNotContain("MultiRegionEnv");
        assertThat(new CantBeLateMultiTask().candidateApi())
                .contains(signatures(SpotEnv.class, MultiRegionEnv.class, MultiRegionStrategy.class))
                .contains("enum ClusterType { NONE, SPOT, ON_DEMAND }");
    }

    private static String[] signatures(Class<?>... types) {
        List<String> signatures = new ArrayList<>();
        for (Class<?> type : types) {
            for (Method method : type.getDeclaredMethods()) {
                StringBuilder text = new StringBuilder(method.getReturnType().getSimpleName()).append(' ')
                        .append(method.getName()).append('(');
                List<String> parameters = new ArrayList<>();
                for (var parameter : method.getParameters()) {
                    parameters.add(parameter.getType().getSimpleName() + " " + parameter.getName());
                }
                signatures.add(text.append(String.join(", ", parameters)).append(");").toString());
            }
        }
        return signatures.toArray(String[]::new);
    }
}
