package io.galapagos.deploy;

import io.galapagos.controller.generation.OfflineMutator;
import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;
import io.galapagos.worker.sandbox.SandboxPool;
import io.galapagos.worker.sandbox.SandboxRequest;
import io.galapagos.worker.sandbox.StaticCheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Children of the offline engine for one task, evaluated through the sandbox and classified: how many
 * of the engine's proposals a run would waste. Children are made as a run makes them, from the initial
 * program and then from children that evaluated OK (with another OK program as inspiration), in
 * batches of the pool's size; every choice comes from the seed.
 */
public final class MutationBench {

    /** What became of one child. */
    public enum Outcome {
        OK, COMPILE_ERROR, REJECTED, RUNTIME_ERROR, CONSTRAINT_VIOLATION, TIMEOUT, OTHER_FAILURE,
        /** The engine proposed nothing or the parent's own text: no evaluation is wasted, but no child either. */
        NO_CHILD;

        static Outcome of(EvaluationStatus status) {
            return switch (status) {
                case OK -> OK;
                case COMPILE_ERROR -> COMPILE_ERROR;
                case REJECTED -> REJECTED;
                case RUNTIME_ERROR -> RUNTIME_ERROR;
                case CONSTRAINT_VIOLATION -> CONSTRAINT_VIOLATION;
                case TIMEOUT -> TIMEOUT;
                case MEMORY_EXCEEDED, SANDBOX_CRASH -> OTHER_FAILURE;
            };
        }

        /** An evaluation spent on a child that gives no score. */
        public boolean failed() {
            return this != OK && this != NO_CHILD;
        }
    }

    /** One failed child, for the examples the bench prints. */
    public record Example(Outcome outcome, String mutation, String feedback) {
    }

    /** The children of one task by outcome, with the first few failures of each kind. */
    public record Tally(String taskId, int children, Map<Outcome, Integer> counts, List<Example> examples) {

        public int count(Outcome outcome) {
            return counts.getOrDefault(outcome, 0);
        }

        public int failed() {
            return counts.entrySet().stream().filter(e -> e.getKey().failed()).mapToInt(Map.Entry::getValue).sum();
        }

        /** Failed evaluations over children asked for. */
        public double failureRate() {
            return children == 0 ? 0 : (double) failed() / children;
        }
    }

    /** What an evaluation said about a child. */
    public record Verdict(EvaluationStatus status, double score, String feedback) {
    }

    /** Evaluates a child against its parent; children of one batch may be judged concurrently. */
    public interface Judge {
        CompletableFuture<Verdict> judge(Task<?> task, String candidateId, String child, String parent);

        /** Children judged at once. */
        int parallelism();
    }

    /** The search's own path: the sandbox pool, with its static check, deadlines and kill. */
    public static Judge sandbox(SandboxPool pool, DataSource data, List<Split> cascade) {
        List<Split> splits = List.copyOf(cascade);
        return new Judge() {
            @Override
            public CompletableFuture<Verdict> judge(Task<?> task, String candidateId, String child, String parent) {
                return pool.evaluate(new SandboxRequest(candidateId, task.id(), child, Optional.of(parent), splits, data,
                                false)).toCompletableFuture()
                        .orTimeout(pool.longestEvaluation().toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(o -> new Verdict(o.status(), o.score(), o.feedback()));
            }

            @Override
            public int parallelism() {
                return pool.slots();
            }
        };
    }

    /**
     * The same steps in this JVM, one child at a time: the sandbox's static check, the in-memory
     * compiler and the task's evaluator on {@code cascade}, with {@code timeout} per child. For trusted
     * children only (the offline engine's); a child past its timeout is interrupted and left running on
     * its daemon thread, so a test fails on its rate long before such threads matter.
     */
    public static Judge inProcess(DataSource data, List<Split> cascade, Duration timeout, int maxSourceBytes) {
        List<Split> splits = List.copyOf(cascade);
        CandidateCompiler compiler = new CandidateCompiler();
        Map<String, Evaluator<?>> evaluators = new ConcurrentHashMap<>();
        return new Judge() {
            @Override
            public CompletableFuture<Verdict> judge(Task<?> task, String candidateId, String child, String parent) {
                StaticCheck.Verdict checked = new StaticCheck(task.candidateType(), maxSourceBytes)
                        .check(child, Optional.of(parent));
                if (!checked.passed()) {
                    return CompletableFuture.completedFuture(
                            new Verdict(EvaluationStatus.REJECTED, Double.NEGATIVE_INFINITY, checked.message()));
                }
                Evaluator<?> evaluator = evaluators.computeIfAbsent(task.id(), id -> task.evaluator(data));
                FutureTask<Verdict> run = new FutureTask<>(() -> evaluate(task, evaluator, child));
                Thread thread = new Thread(run, "mutation-bench-" + candidateId);
                thread.setDaemon(true);
                thread.start();
                try {
                    return CompletableFuture.completedFuture(run.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    thread.interrupt();
                    return CompletableFuture.completedFuture(new Verdict(EvaluationStatus.TIMEOUT,
                            Double.NEGATIVE_INFINITY, "no result within " + timeout.toMillis() + " ms"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while judging " + candidateId, e);
                } catch (ExecutionException e) {
                    return CompletableFuture.completedFuture(new Verdict(EvaluationStatus.SANDBOX_CRASH,
                            Double.NEGATIVE_INFINITY, String.valueOf(e.getCause())));
                }
            }

            @SuppressWarnings("unchecked")
            private <C> Verdict evaluate(Task<C> task, Evaluator<?> untyped, String child) {
                CompiledCandidate<C> compiled;
                try {
                    compiled = compiler.compile(child, task.candidateType());
                } catch (CompilationException e) {
                    return new Verdict(EvaluationStatus.COMPILE_ERROR, Double.NEGATIVE_INFINITY, e.getMessage());
                }
                Evaluator<C> evaluator = (Evaluator<C>) untyped;
                EvaluationReport report = null;
                for (Split split : splits) {
                    report = evaluator.evaluate(compiled, split);
                    if (!report.succeeded()) {
                        break;
                    }
                }
                return new Verdict(report.status(), report.score(), report.feedback());
            }

            @Override
            public int parallelism() {
                return 1;
            }
        };
    }

    private static final int EXAMPLES_PER_OUTCOME = 3;

    private final Judge judge;

    public MutationBench(Judge judge) {
        this.judge = judge;
    }

    public Tally run(Task<?> task, int children, long seed) {
        OfflineMutator mutator = new OfflineMutator(task.id());
        SplittableRandom random = new SplittableRandom(seed);
        String initial = task.initialProgram().source();
        List<Program> good = new ArrayList<>(List.of(new Program("initial", initial, 0, Map.of(), "")));
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        Map<Outcome, List<Example>> examples = new EnumMap<>(Outcome.class);
        int made = 0;
        while (made < children) {
            int batch = Math.min(judge.parallelism(), children - made);
            List<CompletableFuture<Verdict>> pending = new ArrayList<>();
            List<Proposal.Code> proposals = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                Program parent = good.get(random.nextInt(good.size()));
                List<Program> inspirations = good.size() > 1
                        ? List.of(good.get(random.nextInt(good.size()))).stream().filter(p -> p != parent).toList()
                        : List.of();
                long sequence = made + i;
                ProposalRequest request = new ProposalRequest(task.id(), "bench", sequence, random.nextLong(), parent,
                        inspirations, List.of(), List.of());
                Proposal proposal = mutator.mutate(request);
                if (!(proposal instanceof Proposal.Code code) || code.code().equals(parent.code())) {
                    counts.merge(Outcome.NO_CHILD, 1, Integer::sum);
                    continue;
                }
                proposals.add(code);
                pending.add(judge.judge(task, "bench/" + task.id() + "/" + sequence, code.code(), parent.code()));
            }
            for (int i = 0; i < pending.size(); i++) {
                Verdict result = pending.get(i).join();
                Outcome outcome = Outcome.of(result.status());
                counts.merge(outcome, 1, Integer::sum);
                if (outcome == Outcome.OK) {
                    good.add(new Program("c" + (made + i), proposals.get(i).code(), result.score(), Map.of(), ""));
                } else {
                    List<Example> kept = examples.computeIfAbsent(outcome, k -> new ArrayList<>());
                    if (kept.size() < EXAMPLES_PER_OUTCOME) {
                        kept.add(new Example(outcome, proposals.get(i).summary(), result.feedback()));
                    }
                }
            }
            made += batch;
        }
        Map<Outcome, Integer> ordered = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            ordered.put(o, counts.getOrDefault(o, 0));
        }
        return new Tally(task.id(), children, ordered, examples.values().stream().flatMap(List::stream).toList());
    }
}
