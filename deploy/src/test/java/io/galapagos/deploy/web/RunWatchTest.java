package io.galapagos.deploy.web;

import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunWatchTest {

    private final List<RunHistory.Candidate> candidates = new ArrayList<>();
    private final RunWatch watch = new RunWatch("run", () -> history());

    @Test
    void evaluationsBecomeEventsOnceInTheOrderTheyArrivedWithEachIslandsBestSteps() {
        propose("run/0/0", Optional.empty(), ok(-10));
        propose("run/1/0", Optional.empty(), ok(-12));
        watch.refresh();
        propose("run/0/1", Optional.of("run/0/0"), ok(-11));
        propose("run/1/1", Optional.of("run/1/0"), ok(-9));
        propose("run/0/2", Optional.of("run/0/0"), Optional.empty());
        watch.refresh();
        watch.refresh();

        List<RunWatch.LiveEvent> evaluations = watch.eventsAfter(0).stream()
                .filter(e -> e.type().equals("evaluation")).toList();
        assertThat(evaluations).extracting(e -> e.data().path("id").asText())
                .containsExactly("run/0/0", "run/1/0", "run/0/1", "run/1/1");
        assertThat(evaluations).extracting(e -> e.data().path("n").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(evaluations).extracting(e -> e.data().path("bestChanged").asBoolean())
                .containsExactly(true, true, false, true);
        assertThat(watch.steps().get("run/1")).extracting(RunWatch.Step::n, RunWatch.Step::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, -12.0), org.assertj.core.groups.Tuple.tuple(4L, -9.0));
        assertThat(watch.eventsAfter(0)).extracting(RunWatch.LiveEvent::id)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, watch.lastEventId()).boxed().toList());
    }

    @Test
    void aStatusEventComesOnlyWhenTheStatusChangedAndATestScoreOnce() {
        propose("run/0/0", Optional.empty(), ok(-10));
        watch.refresh();
        long afterFirst = watch.lastEventId();
        watch.refresh();
        assertThat(watch.lastEventId()).as("nothing new, nothing sent").isEqualTo(afterFirst);

        RunHistory.Candidate seed = candidates.remove(0);
        candidates.add(new RunHistory.Candidate(seed.candidateId(), seed.island(), seed.sequence(), seed.code(),
                seed.parentId(), seed.generator(), seed.summary(), seed.usage(), seed.evaluation(),
                Optional.of(new RunHistory.Evaluation(EvaluationStatus.OK, -9.5, Map.of(), "", "TEST", 0, "", 5,
                        Optional.empty()))));
        watch.refresh();
        watch.refresh();

        List<RunWatch.LiveEvent> tests = watch.eventsAfter(afterFirst).stream().filter(e -> e.type().equals("test")).toList();
        assertThat(tests).singleElement().satisfies(e -> assertThat(e.data().path("test").asDouble()).isEqualTo(-9.5));
        assertThat(watch.eventsAfter(watch.lastEventId())).isEmpty();
        assertThat(watch.eventsAfter(afterFirst + 100)).isEmpty();
    }

    @Test
    void theStreamKeepsOnlyTheRecentEventsAndTheirIdsGoOnCounting() {
        RunWatch small = new RunWatch("run", this::history, c -> c, 3);
        for (int n = 0; n < 5; n++) {
            propose("run/0/" + n, Optional.empty(), ok(-10 + n));
        }
        small.refresh();

        assertThat(small.lastEventId()).as("five evaluations and a status").isEqualTo(6);
        assertThat(small.eventsAfter(0)).extracting(RunWatch.LiveEvent::id).containsExactly(4L, 5L, 6L);
        assertThat(small.eventsAfter(4)).extracting(RunWatch.LiveEvent::id).containsExactly(5L, 6L);
        assertThat(small.eventsAfter(6)).isEmpty();
        assertThat(small.position("run/0/0")).as("older evaluations keep their place").contains(1);
        assertThat(small.steps().get("run/0")).hasSize(5);
    }

    @Test
    void candidatesAHistoryCountsRatherThanListsLeaveTheWatchAndNewOnesTakeTheRunsPlaces() {
        int many = 3_000;
        for (int n = 0; n < many; n++) {
            propose("run/0/" + n, Optional.empty(), ok(-10 - n));
        }
        watch.refresh();
        assertThat(watch.position("run/0/" + (many - 1))).contains(many);
        // the reader counts all but the seed (the best) and the last hundred, and one more comes
        List<RunHistory.Candidate> listed = new ArrayList<>(candidates.subList(many - 100, many));
        listed.add(0, candidates.get(0));
        candidates.clear();
        candidates.addAll(listed);
        propose("run/0/" + many, Optional.empty(), ok(-20_000));
        watch.apply(new RunHistory(Optional.empty(), List.of(), List.copyOf(candidates), List.of(), Map.of(), 0, Set.of(),
                Map.of(), Map.of(), RunHistory.FailedBefore.NONE, countedBefore(many - 100), null));

        assertThat(watch.position("run/0/1")).as("counted: its place went with it").isEmpty();
        assertThat(watch.position("run/0/0")).contains(1);
        assertThat(watch.position("run/0/" + (many - 1))).contains(many);
        assertThat(watch.position("run/0/" + many)).as("the next evaluation of the run").contains(many + 1);
    }

    private static io.galapagos.controller.report.EvaluatedBefore countedBefore(long evaluated) {
        io.galapagos.controller.report.EvaluatedBefore none = io.galapagos.controller.report.EvaluatedBefore.NONE;
        return new io.galapagos.controller.report.EvaluatedBefore(evaluated, Map.of("OK", evaluated), Map.of(), 0,
                Map.of(), Map.of(), Map.of(), Map.of(), none.progress(), Set.of("run/0/0"));
    }

    private void propose(String id, Optional<String> parent, Optional<RunHistory.Evaluation> evaluation) {
        String island = id.substring(0, id.lastIndexOf('/'));
        long sequence = Long.parseLong(id.substring(id.lastIndexOf('/') + 1));
        candidates.add(new RunHistory.Candidate(id, island, sequence, "class C {}", parent, "offline", "change",
                Usage.NONE, evaluation, Optional.empty()));
    }

    private Optional<RunHistory.Evaluation> ok(double score) {
        return Optional.of(new RunHistory.Evaluation(EvaluationStatus.OK, score, Map.of(), "", "TRAIN", 1, "w",
                candidates.size(), Optional.empty()));
    }

    private RunHistory history() {
        return new RunHistory(Optional.empty(), List.of(), List.copyOf(candidates), List.of(), Map.of(), 0, Set.of());
    }
}
