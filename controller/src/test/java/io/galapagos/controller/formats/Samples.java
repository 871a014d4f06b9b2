package io.galapagos.controller.formats;

import io.galapagos.controller.Fixtures;
import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.controller.generation.AnswerFormat;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.FailedAttempt;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.generation.LlmSpec;
import io.galapagos.controller.generation.ModelBandit;
import io.galapagos.controller.generation.ModelSelection;
import io.galapagos.controller.generation.ModelSpec;
import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.PromptPlan;
import io.galapagos.controller.generation.PromptSettings;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.PromptVariants;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.LiteralSearch;
import io.galapagos.controller.generation.TuningStep;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.Individual;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.Lessons;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.island.Noise;
import io.galapagos.controller.island.Tuning;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.island.Population;
import io.galapagos.controller.run.BestSummary;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One instance of every public class that enters the journal or crosses nodes (messages that stay on
 * their node, such as timers, are package-private), with every optional part
 * present, so that its serialized form shows every field. The committed bytes of these are the wire
 * formats later versions must still read.
 */
final class Samples {

    private Samples() {
    }

    /** Every sample by its class; the actor refs are {@code system}'s dead letters. */
    static Map<Class<?>, Object> all(ActorSystem<?> system) {
        ActorRef<Object> nobody = system.deadLetters();
        Map<Class<?>, Object> samples = new LinkedHashMap<>();

        Usage usage = new Usage(1200, 340, 0.0021);
        CostTracker.ModelTotals totals = new CostTracker.ModelTotals(3, 3600, 1020, 0.0063);
        ModelSpec model = new ModelSpec("model-a", 0.75, URI.create("http://127.0.0.1:8080/v1"),
                Optional.of("GALAPAGOS_MODEL_KEY"), OptionalDouble.of(0.7), OptionalDouble.of(0.95), 4096, 0.15, 0.6, false);
        PromptVariants variants = new PromptVariants(0.6, 0.25, 0.15);
        LlmSpec llm = new LlmSpec(List.of(model), new PromptSettings(AnswerFormat.DIFF, true, true, 20_000, true,
                2000, 8000, 600, variants, 20), ModelSelection.WEIGHTS);
        GenerationSettings generation = new GenerationSettings(GenerationSettings.Mode.OPENAI, Optional.of(llm),
                OptionalDouble.of(12.5));
        TuningSettings tuningSettings = new TuningSettings(true, 20, 50, 0.25, 8);
        Constraints constraints = new Constraints(Constraints.Mode.INITIAL, Map.of("deadline-misses", true));
        Objectives objectives = new Objectives(Objectives.Mode.PARETO, List.of(
                new Objectives.Objective("avgCost", false), new Objectives.Objective("deadline-misses", false)));
        Noise noise = new Noise(true, 3, 2.0);
        IslandSettings islandSettings = new IslandSettings(4, 10, 20, 0.2, 0.7, 0.1, 2, 3, 25, 2, 5, 100, 0.99,
                tuningSettings, constraints, objectives, noise);
        RunSettings settings = new RunSettings("run-7", "cant-be-late", 7, 2, 200, 3_600_000, 50, Optional.of(-100.0),
                List.of("SMOKE", "TRAIN"), true, Optional.of("/data/adrs"), 42, Fixtures.SEED_CODE, "deadline-misses",
                islandSettings, generation, List.of(Fixtures.SEED_CODE), 1);
        BestSummary best = new BestSummary("run-7/0/12", "run-7/0", -103.5, Optional.of(-102.25), 2.0,
                List.of(-103.0, -104.0, -103.5));
        IslandReport report = new IslandReport(0, 40, 36, 3, Map.of("COMPILE_ERROR", 2L), 2, Optional.of(best), false,
                Map.of("model-a", totals), "paused: rate limited", 1);
        RunStatus status = new RunStatus(RunStatus.Phase.RUNNING, Optional.of(settings), List.of(report),
                Optional.of(best), 65_000, Optional.of("target score reached"));

        EvaluationRequest request = new EvaluationRequest("run-7/0/12#selection", "run-7/0/12", "run-7/0",
                "cant-be-late", Fixtures.SEED_CODE, Optional.of(Fixtures.SEED_CODE), List.of("SMOKE", "TRAIN"),
                Optional.of("/data/adrs"), 42, EvaluationRequest.Purpose.SELECTION);
        EvaluationResult result = new EvaluationResult("run-7/0/12#selection", "run-7/0/12", "run-7/0",
                EvaluationRequest.Purpose.SELECTION, EvaluationStatus.OK, -103.5, Map.of("deadline-misses", 0.0),
                "worst scenario: trace 3", "TRAIN", 812, "worker@127.0.0.1:25521", Optional.of("bwrap"));
        Individual individual = new Individual("run-7/0/12", Fixtures.SEED_CODE, -103.5, Map.of("deadline-misses", 0.0),
                "worst scenario: trace 3", "run-7/0", Optional.of("run-7/0/3"), Optional.of(-102.25));
        Program program = new Program("run-7/0/12", Fixtures.SEED_CODE, -103.5, Map.of("deadline-misses", 0.0),
                "worst scenario: trace 3");
        FailedAttempt failed = new FailedAttempt("run-7/0/13", "the edit matched nothing");
        TuningStep tuningStep = new TuningStep(List.of(-104.0, LiteralSearch.FAILED, -103.0), 20, 0.25, 8);
        PromptPlan.FailedChild failedChild = new PromptPlan.FailedChild("run-7/0/11", Fixtures.SEED_CODE,
                "COMPILE_ERROR: line 12: cannot find symbol margin");
        PromptPlan.Improvement improvement = new PromptPlan.Improvement("run-7/0/9", Optional.of(PromptVariant.CROSSOVER), "model-a",
                1.5, "keep the safety margin of run-7/0/4");
        PromptPlan.FailureCount failureCount = new PromptPlan.FailureCount("evaluation compile error", 3);
        PromptPlan.SearchSummary searchSummary = new PromptPlan.SearchSummary(9, 2, List.of(improvement),
                List.of(failureCount));
        PromptPlan plan = PromptPlan.crossover(program).withSummary(searchSummary);
        ProposalRequest proposalRequest = new ProposalRequest("cant-be-late", "run-7/0", 14, 99, program,
                List.of(program), List.of(program), List.of(failed), Optional.of(tuningStep), Optional.of("model-a"),
                plan);
        Tuning.Episode episode = new Tuning.Episode(program, List.of(-104.0, LiteralSearch.FAILED), Optional.of(14L));
        Tuning tuning = new Tuning(Optional.of(episode), -110.0, Optional.of("run-7/0/12"), 9);
        ModelBandit.Call call = new ModelBandit.Call("model-a", Optional.of(-104.0), 0.0021);
        Lessons.Origin origin = new Lessons.Origin("model-a", "a tighter deadline margin", Optional.of(PromptVariant.FIX),
                Optional.of(-104.0));
        Island.Pending pending = new Island.Pending(Fixtures.SEED_CODE, Optional.of("run-7/0/3"), Optional.of(call),
                Optional.of(origin));
        Lessons.Broken broken = new Lessons.Broken("run-7/0/3", failedChild);
        Lessons lessons = new Lessons(9, 2, List.of(improvement), Map.of(Island.ProposalFailed.Kind.NEAR_DUPLICATE, 1L),
                List.of(broken));
        ModelBandit.Arm arm = new ModelBandit.Arm(5, 4, 1.75, 0.0084);
        ModelBandit.Earnings earnings = new ModelBandit.Earnings(Map.of("model-a", arm), 1.25);
        Island.CandidateEvaluated evaluated = new Island.CandidateEvaluated("run-7/0/12", EvaluationStatus.OK, -103.5,
                Map.of("deadline-misses", 0.0), "worst scenario: trace 3", "TRAIN", 812, "worker@127.0.0.1:25521",
                Optional.of("bwrap"));
        Island.Repeat repeat = new Island.Repeat("run-7/1/8", false, 0.995, Optional.of(-104.0));
        Island.ProposalFailed proposalFailed = new Island.ProposalFailed(13, "run-7/0/3", "model-a",
                "near-duplicate of run-7/1/8 (similarity 0.995)", usage, false, Optional.of(repeat),
                Optional.of(PromptVariant.IMPROVE));
        Island.Resolved resolved = new Island.Resolved(Optional.of(pending), Optional.of(evaluated),
                Optional.of(proposalFailed));
        Population population = Population.empty().insert(individual, "deadline-misses", 10, 20, constraints,
                objectives);
        Island.Sequencing sequencing = new Island.Sequencing(12, 15, Map.of(13L, resolved), Map.of(14L, proposalRequest),
                1, Map.of(1, List.of(individual)), Map.of(2, List.of(individual)), Optional.of(3), Map.of(77L, 12L));
        Island.Repeating repeating = new Island.Repeating(Fixtures.SEED_CODE, 3, Map.of(0, -103.0, 1, -104.0),
                List.of(2), 2.0);
        Island.State islandState = new Island.State(Optional.of(settings), 0, 15, 14, 12, 1, 0, Map.of("run-7/0/12", pending),
                Map.of("run-7/0/11", Fixtures.SEED_CODE), population, Optional.of(best), List.of(failed),
                Map.of("COMPILE_ERROR", 1L), Optional.of("target score reached"), Map.of("model-a", totals), sequencing,
                tuning, earnings, lessons, Map.of("run-7/0/10", repeating));
        Run.State runState = new Run.State(Optional.of(settings), 1_764_547_200_000L, Map.of(0, report), Optional.of(best),
                30, 65_000, Optional.of("target score reached"), Optional.of("target score reached"));
        EvaluationDispatcher.WorkerLoad load = new EvaluationDispatcher.WorkerLoad("worker@127.0.0.1:25521", 2, 1, 40, false);

        add(samples, usage);
        add(samples, generation);
        add(samples, tuningSettings);
        add(samples, constraints);
        add(samples, constraints.limitsFrom(Map.of("deadline-misses", 3.0)));
        add(samples, objectives);
        add(samples, objectives.objectives().get(0));
        add(samples, noise);
        add(samples, islandSettings);
        add(samples, tuningStep);
        add(samples, episode);
        add(samples, tuning);
        add(samples, settings);
        add(samples, best);
        add(samples, report);
        add(samples, status);
        add(samples, request);
        add(samples, result);
        add(samples, individual);
        add(samples, program);
        add(samples, failed);
        add(samples, proposalRequest);
        add(samples, variants);
        add(samples, plan);
        add(samples, failedChild);
        add(samples, improvement);
        add(samples, failureCount);
        add(samples, searchSummary);
        add(samples, origin);
        add(samples, broken);
        add(samples, lessons);
        add(samples, new Proposal.Code(Fixtures.SEED_CODE, "model-a", "a tighter deadline margin", usage));
        add(samples, new Proposal.Failed("the edit matched nothing", "model-a", usage, true));
        add(samples, population);
        add(samples, call);
        add(samples, arm);
        add(samples, earnings);
        add(samples, new Population.Range(-110.0, -98.5));

        // the journal: events and snapshots
        add(samples, new Run.RunStarted(settings, 1_764_547_200_000L, 0));
        add(samples, new Run.ProgressRecorded(report, 12_000));
        add(samples, new Run.ClockAdvanced(17_000));
        add(samples, new Run.RunStopped("target score reached", 18_000));
        add(samples, new Run.RunCompleted("target score reached", 19_000));
        add(samples, new Run.BudgetExtended(400, 7_200_000, 20_000));
        add(samples, runState);
        add(samples, new Island.Seeded(settings, 0));
        add(samples, new Island.CandidateProposed("run-7/0/12", 12, Fixtures.SEED_CODE, Optional.of("run-7/0/3"),
                "model-a", "a tighter deadline margin", usage, Optional.of(-4_611_686_018_427_387_904L),
                Optional.of(PromptVariant.CROSSOVER)));
        add(samples, proposalFailed);
        add(samples, repeat);
        add(samples, evaluated);
        add(samples, new Island.BestChanged("run-7/0/12", -103.5, 2.0, List.of(-103.0, -104.0, -103.5)));
        add(samples, new Island.RepeatsRequested("run-7/0/12", 2, 2.0));
        add(samples, new Island.CandidateReEvaluated("run-7/0/12", 1, EvaluationStatus.OK, -104.0, "TRAIN", 790,
                "worker@127.0.0.1:25521", Optional.of("bwrap")));
        add(samples, repeating);
        add(samples, new Island.TestEvaluated("run-7/0/12", EvaluationStatus.OK, -102.25, Map.of("deadline-misses", 0.0)));
        add(samples, new Island.MigrantsArrived("run-7/1", 1, List.of(individual)));
        add(samples, new Island.MigrantsAccepted("run-7/1", List.of(individual)));
        add(samples, new Island.UpstreamEnded("run-7/1", 2));
        add(samples, new Island.MigrantsDelivered(2));
        add(samples, new Island.IslandStopped("target score reached"));
        add(samples, new Island.QuotaExtended(settings));
        add(samples, pending);
        add(samples, resolved);
        add(samples, sequencing);
        add(samples, islandState);

        // messages between nodes
        add(samples, new Run.Start(settings, nobody.narrow()));
        add(samples, new Run.Resume(nobody.narrow()));
        add(samples, new Run.ExtendBudget(Optional.of(400L), Optional.of(7_200_000L), nobody.narrow()));
        add(samples, new Run.Stop("stopped by the operator", nobody.narrow()));
        add(samples, new Run.ReportProgress(report));
        add(samples, new Run.GetStatus(nobody.narrow()));
        add(samples, new Island.Start(settings, 1));
        add(samples, new Island.Stop("target score reached"));
        add(samples, new Island.Retire(1));
        add(samples, new Island.ExtendQuota(settings));
        add(samples, new Island.EvaluationArrived(result));
        add(samples, new Island.MigrantsOffered("run-7/1", 1, List.of(individual)));
        add(samples, new Island.NoMoreMigrants("run-7/1", 2));
        add(samples, new Island.MigrantsWanted("run-7/0", 2));
        add(samples, new Island.MigrantsReceived("run-7/2", 2));
        add(samples, new EvaluationDispatcher.Submit(request));
        add(samples, new EvaluationDispatcher.GetStats(nobody.narrow()));
        add(samples, new EvaluationDispatcher.Stats(3, 2, 2, 40, 1, 0, 0, 1_764_547_200_000L, List.of(load)));
        add(samples, load);
        add(samples, new WorkPulling.WorkerReady(nobody.narrow(), 2, List.of(17L, 18L)));
        add(samples, new WorkPulling.Job(17, request));
        add(samples, new WorkPulling.JobCompleted(nobody.narrow(), 17, result));
        add(samples, new WorkPulling.JobRejected(nobody.narrow(), 17));
        return samples;
    }

    private static void add(Map<Class<?>, Object> samples, Object sample) {
        samples.put(sample.getClass(), sample);
    }
}
