package io.galapagos.simulators.cantbelate;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What a hostile strategy can learn from, and do with, the env it is handed. */
class CandidateViewTest {

    private static final Evaluator<SpotStrategy> SINGLE = new CantBeLateTask().evaluator(DataSource.synthetic());
    private static final Evaluator<MultiRegionStrategy> MULTI = new CantBeLateMultiTask().evaluator(DataSource.synthetic());

    /** Spot while the slack allows, on-demand once it does not: a strategy that reads every part of the env. */
    private static ClusterType slackAware(SpotEnv env, boolean hasSpot) {
        double left = env.taskDurationSeconds() - env.workDoneSeconds();
        double slack = env.deadlineSeconds() - env.elapsedSeconds() - left - env.restartOverheadSeconds()
                - env.remainingRestartOverheadSeconds();
        if (slack < 4 * env.gapSeconds() || env.clusterType() == ClusterType.ON_DEMAND && slack < 8 * env.gapSeconds()) {
            return ClusterType.ON_DEMAND;
        }
        return hasSpot ? ClusterType.SPOT : ClusterType.NONE;
    }

    @Test
    void singleRegionEnvIsAnObservationOfValuesNotTheSimulator() {
        List<SpotEnv> seen = new ArrayList<>();
        EvaluationReport report = SINGLE.evaluate(() -> (env, last, hasSpot) -> {
            seen.add(env);
            return ClusterType.ON_DEMAND;
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        SpotEnv env = seen.get(0);
        assertThat(SingleRegionSimulator.class.isInstance(env)).isFalse();
        assertThat(publicMethods(env.getClass())).isEqualTo(publicMethods(SpotEnv.class));
        assertThat(fieldTypes(env.getClass())).allMatch(t -> t.isPrimitive() || t == ClusterType.class);
    }

    @Test
    void multiRegionEnvIsAnObservationOfValuesNotTheSimulator() {
        List<MultiRegionEnv> seen = new ArrayList<>();
        EvaluationReport report = MULTI.evaluate(() -> (env, last, hasSpot) -> {
            seen.add(env);
            return ClusterType.ON_DEMAND;
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        MultiRegionEnv env = seen.get(0);
        assertThat(MultiRegionSimulator.class.isInstance(env)).isFalse();
        assertThat(publicMethods(env.getClass())).isEqualTo(publicMethods(MultiRegionEnv.class));
        // values only: no trace, no availability array, no simulator
        assertThat(fieldTypes(env.getClass())).allMatch(t -> t.isPrimitive() || t == ClusterType.class || t == String.class);
    }

    @Test
    void aStrategyThatRewritesItsEnvByReflectionChangesNothingButItsOwnView() {
        EvaluationReport honest = SINGLE.evaluate(() -> (env, last, hasSpot) -> slackAware(env, hasSpot), Split.TRAIN);
        EvaluationReport tampering = SINGLE.evaluate(() -> (env, last, hasSpot) -> {
            ClusterType decision = slackAware(env, hasSpot);
            // claim the job is done and no time has passed
            write(env, "workDone", env.taskDurationSeconds());
            write(env, "tick", 0L);
            return decision;
        }, Split.TRAIN);

        assertThat(honest.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(tampering.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(tampering.score()).isEqualTo(honest.score());
        assertThat(tampering.runs()).isEqualTo(honest.runs());
    }

    @Test
    void aRegionForgedByReflectionFailsTheRunInsteadOfBreakingTheSimulator() {
        EvaluationReport report = MULTI.evaluate(() -> (env, last, hasSpot) -> {
            if (env.tick() == 3) {
                write(env, "region", 7);
            }
            return ClusterType.ON_DEMAND;
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("tick 3").contains("region 7 is outside 0..");
    }

    @Test
    void everyRunGetsItsOwnEnv() {
        List<SpotEnv> firstEnvOfEachRun = new ArrayList<>();
        SINGLE.evaluate(() -> new SpotStrategy() {
            private boolean first = true;

            @Override
            public ClusterType step(SpotEnv env, ClusterType last, boolean hasSpot) {
                if (first) {
                    firstEnvOfEachRun.add(env);
                    first = false;
                }
                return ClusterType.ON_DEMAND;
            }
        }, Split.TRAIN);

        assertThat(firstEnvOfEachRun).hasSize(SINGLE.runCount(Split.TRAIN)).doesNotHaveDuplicates();
    }

    private static void write(Object env, String field, Object value) {
        try {
            Field f = env.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(env, value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Public instance methods beyond {@link Object}'s, as name and parameter types. */
    private static Set<String> publicMethods(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())) {
                names.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        return names;
    }

    private static List<Class<?>> fieldTypes(Class<?> type) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                types.add(f.getType());
            }
        }
        return types;
    }
}
