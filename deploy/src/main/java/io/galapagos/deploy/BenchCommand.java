package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.bench.EvaluationBreakdown;
import io.galapagos.deploy.bench.InstantEvaluator;
import io.galapagos.deploy.bench.InstantGenerator;
import io.galapagos.controller.generation.GenerationConfig;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.InProcessEvaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos bench}: measurements of Galapagos itself. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of Galapagos itself.",
        subcommands = {BenchCommand.Engine.class, SandboxBenchCommand.class, RecoveryBenchCommand.class,
                MutationBenchCommand.class, SoakBenchCommand.class, SearchBenchCommand.class,
                InstantRunCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: try 'galapagos bench engine' or 'galapagos bench sandbox'");
    }

    /**
     * Evaluations per second that one controller dispatches and persists when evaluating costs nothing,
     * and the engine's time per evaluation on top of the evaluator's own.
     */
    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = {"Evaluations/s one controller dispatches and persists (no-op task), and per-evaluation overhead.",
                    "With --breakdown: where each evaluation's time goes on the default run's path."})
    static final class Engine implements Callable<Integer> {

        private static final int THROUGHPUT_ISLANDS = 8;
        private static final int THROUGHPUT_IN_FLIGHT = 16;

        @Option(names = "--evaluations", defaultValue = "60000", description = "evaluations of the throughput run")
        long evaluations;

        @Option(names = "--warm-up-evaluations", defaultValue = "30000",
                description = "evaluations of a run before the throughput run, in the same process on a journal of its"
                        + " own, so that the measured run finds the JIT's code compiled (0: none)")
        long warmUpEvaluations;

        @Option(names = "--islands", description = "islands (throughput run: 8; --breakdown: galapagos.islands.count)")
        Optional<Integer> islands = Optional.empty();

        @Option(names = "--in-flight",
                description = "candidates in flight per island (throughput run: 16; --breakdown: galapagos.islands.in-flight)")
        Optional<Integer> inFlight = Optional.empty();

        @Option(names = "--breakdown", description = "run the default run's path (sandboxed worker, H2 journal in a "
                + "temporary folder) and print where each evaluation's time goes")
        boolean breakdown;

        @Option(names = "--task", defaultValue = "cant-be-late", description = "task of the --breakdown run")
        String taskId;

        @Option(names = "--iterations", defaultValue = "200", description = "iterations of the --breakdown run")
        long iterations;

        @Option(names = "--slots", defaultValue = "64", description = "worker slots of the no-op evaluator")
        int slots;

        @Option(names = "--generator", defaultValue = "instant",
                description = "proposals of the throughput run: instant (a fresh constant per proposal, computed in no"
                        + " time: the engine alone) or offline (the offline mutation engine, parsing every program)")
        String generator;

        @Option(names = "--overhead-evaluations", defaultValue = "200",
                description = "evaluations, one at a time, of the overhead run")
        long overheadEvaluations;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (breakdown) {
                return breakdown();
            }
            int islands = this.islands.orElse(THROUGHPUT_ISLANDS);
            int inFlight = this.inFlight.orElse(THROUGHPUT_IN_FLIGHT);
            if (evaluations < islands || islands < 1 || inFlight < 1 || slots < 1 || overheadEvaluations < 1
                    || warmUpEvaluations < 0 || (warmUpEvaluations > 0 && warmUpEvaluations < islands)) {
                spec.commandLine().getErr().println("galapagos bench engine: counts must be positive, evaluations >= islands"
                        + " (--warm-up-evaluations: 0 or >= islands)");
                return Galapagos.EXIT_USAGE;
            }
            if (!generator.equals("instant") && !generator.equals("offline")) {
                spec.commandLine().getErr().println("galapagos bench engine: --generator must be instant or offline, not '"
                        + generator + "'");
                return Galapagos.EXIT_USAGE;
            }
            java.io.PrintWriter console = spec.commandLine().getOut();
            Task<?> task = TaskRegistry.load().require(NoopTask.ID);

            Optional<GeneratorFactory> generators = generator.equals("instant")
                    ? Optional.of((settings, islandNo, spent) -> new InstantGenerator()) : Optional.empty();
            if (warmUpEvaluations > 0) {
                Measurement warmUp = measure(task, warmUpEvaluations, islands, inFlight, new InstantEvaluator(slots),
                        generators);
                console.printf(Locale.ROOT, "warm-up: %d evaluations in %.2f s = %.0f evaluations/s, %.2f ms of CPU per"
                                + " evaluation (a cold JVM: mostly the JIT compiling the engine's code)%n",
                        warmUp.evaluated(), warmUp.seconds(), warmUp.evaluated() / warmUp.seconds(),
                        warmUp.cpuSeconds() * 1000 / warmUp.evaluated());
            }
            Measurement throughput = measure(task, evaluations, islands, inFlight, new InstantEvaluator(slots),
                    generators);
            console.printf(Locale.ROOT, "throughput: %d evaluations on %d islands (%d in flight each, %d slots, %s"
                            + " generator) in %.2f s = %.0f evaluations/s dispatched and persisted; besides, %d proposals"
                            + " repeated an evaluated program and were skipped (%.0f proposals/s in all)%n",
                    throughput.evaluated(), islands, inFlight, slots, generator, throughput.seconds(),
                    throughput.evaluated() / throughput.seconds(),
                    throughput.duplicates(), (throughput.evaluated() + throughput.duplicates()) / throughput.seconds());
            // on a shared machine the wall time says more about the neighbours than about the engine
            console.printf(Locale.ROOT, "cpu: the process used %.1f s of CPU in those %.2f s, %.2f ms per evaluation"
                            + " (%.0f evaluations per CPU second); load average %.1f at the end on %d cores%n",
                    throughput.cpuSeconds(), throughput.seconds(), throughput.cpuSeconds() * 1000 / throughput.evaluated(),
                    throughput.evaluated() / throughput.cpuSeconds(), throughput.loadAverage(),
                    Runtime.getRuntime().availableProcessors());
            // each write stashes the island's commands and commits in H2: the engine's largest cost per evaluation
            console.printf(Locale.ROOT, "journal: the islands wrote %d times, %.2f writes per evaluation%n",
                    throughput.journalWrites(), (double) throughput.journalWrites() / throughput.evaluated());

            try (CandidateEvaluator real = new InProcessEvaluator(TaskRegistry.load(), 1, "bench")) {
                Measurement serial = measure(task, overheadEvaluations, 1, 1, real, Optional.empty());
                double perEvaluation = serial.seconds() * 1000 / serial.evaluated();
                console.printf(Locale.ROOT, "overhead: %d evaluations one at a time (%s evaluator) took %.2f ms each,"
                                + " of which the evaluator %.2f ms: engine overhead %.2f ms per evaluation%n",
                        serial.evaluated(), real.isolation(), perEvaluation, serial.evaluatorMillis(),
                        perEvaluation - serial.evaluatorMillis());
            }
            return 0;
        }

        private int breakdown() throws Exception {
            java.io.PrintWriter console = spec.commandLine().getOut();
            java.io.PrintWriter err = spec.commandLine().getErr();
            if (iterations < 1 || islands.map(n -> n < 1).orElse(false) || inFlight.map(n -> n < 1).orElse(false)) {
                err.println("galapagos bench engine: --iterations, --islands and --in-flight must be positive");
                return Galapagos.EXIT_USAGE;
            }
            Task<?> task;
            try {
                task = TaskRegistry.load().require(taskId);
            } catch (IllegalArgumentException e) {
                err.println("galapagos bench engine: --task: " + e.getMessage());
                return Galapagos.EXIT_USAGE;
            }
            Path out = Files.createTempDirectory("galapagos-bench-breakdown");
            Config config;
            RunSettings settings;
            try {
                config = EmbeddedNode.config(out, Optional.empty(), ConfigFactory.parseMap(
                        inFlight.<Map<String, Object>>map(n -> Map.of("galapagos.islands.in-flight", n)).orElse(Map.of())));
                EngineConfig engineConfig = EngineConfig.from(config);
                EngineConfig.RunDefaults run = engineConfig.run();
                RunTask chosen = RunTask.of(task);
                // what 'galapagos run --task ID' starts with no flags but --iterations (and --islands)
                settings = new RunSettings(RunSession.RUN_ID, chosen.taskId(), run.seed(),
                        islands.orElse(engineConfig.islandCount()), iterations,
                        run.wallClock().map(Duration::toMillis).orElse(0L), run.earlyStopAfter(), run.targetScore(),
                        run.cascade(), run.testBest(), Optional.empty(), run.dataSeed(), chosen.initialProgram(),
                        chosen.featureMetric(), engineConfig.islands())
                        .withGeneration(GenerationConfig.from(config)).check();
            } catch (IllegalArgumentException e) {
                new TemporaryFolder(out).close();
                err.println("galapagos bench engine: " + e.getMessage());
                return Galapagos.EXIT_USAGE;
            }
            int capacity = settings.islands() * settings.island().inFlight();
            java.io.PrintWriter quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
            EvaluationBreakdown recorder = new EvaluationBreakdown();
            // the folder goes after the node that holds its journal has stopped
            try (TemporaryFolder removed = new TemporaryFolder(out);
                 CandidateEvaluator evaluator = Evaluators.forNode(config, TaskRegistry.load());
                 EmbeddedNode node = EmbeddedNode.start(config, evaluator, Evaluators.generators(config));
                 EvaluationTimeline.Installed installed = EvaluationTimeline.install(recorder)) {
                RunSession session = new RunSession(node, out, quiet, quiet);
                session.status(); // the cluster is up and the run entity answers before the clock starts
                RunTask chosen = RunTask.of(task);
                long start = System.nanoTime();
                RunStatus status;
                session.start(settings);
                // the outputs refresh and the progress polling of 'galapagos run' share the machine with the run
                try (var refresher = session.refreshOutputs(chosen)) {
                    status = session.follow(Duration.ofMillis(500));
                }
                long wall = System.nanoTime() - start;
                EvaluationBreakdown.Table table = recorder.table(wall, capacity);
                console.printf(Locale.ROOT, "breakdown: galapagos run --task %s --iterations %d: %d islands x %d in flight,"
                                + " %d worker slot(s) (%s), %d evaluations in %.2f s = %.2f evaluations/s,"
                                + " %.1f ms wall per evaluation; %d of them went from a generator call to a persisted"
                                + " result and are measured below%n", task.id(), iterations, settings.islands(),
                        settings.island().inFlight(), evaluator.slots(), evaluator.isolation(), status.evaluated(),
                        wall / 1e9, status.evaluated() / (wall / 1e9), wall / 1e6 / Math.max(1, status.evaluated()),
                        table.evaluations());
                console.printf(Locale.ROOT, "per evaluation (share = part of the run's in-flight capacity, %d candidates"
                        + " x wall time, that the phase held):%n", capacity);
                console.print(table.markdown());
                console.flush();
            }
            return 0;
        }

        /** Deletes a run's temporary folder (its journal) when the run's node has stopped. */
        private record TemporaryFolder(Path folder) implements AutoCloseable {
            @Override
            public void close() throws java.io.IOException {
                try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
                    for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }

        /**
         * @param duplicates  proposals that repeated an evaluated program, skipped rather than evaluated
         * @param cpuSeconds  CPU time of the whole process (every thread) while the run went on
         * @param loadAverage the machine's load average over the last minute when the run ended
         * @param journalWrites writes of events the islands made while the run went on (each a commit of one or more)
         */
        record Measurement(long evaluated, double seconds, double evaluatorMillis, long duplicates, double cpuSeconds,
                           double loadAverage, long journalWrites) {
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private static Measurement measure(Task<?> task, long iterations, int islands, int inFlight,
                                           CandidateEvaluator evaluator, Optional<GeneratorFactory> generators)
                throws Exception {
            Path out = Files.createTempDirectory("galapagos-bench");
            Config config = EmbeddedNode.config(out, java.util.Optional.empty(), ConfigFactory.parseMap(Map.of(
                    "galapagos.islands.in-flight", inFlight, "galapagos.run.test-best", "off",
                    "galapagos.islands.progress-interval", "200ms")));
            EngineConfig engineConfig = EngineConfig.from(config);
            RunSettings settings = new RunSettings(RunSession.RUN_ID, task.id(), 1, islands, iterations,
                    Duration.ofHours(1).toMillis(), 0, java.util.Optional.empty(), engineConfig.run().cascade(), false,
                    java.util.Optional.empty(), 1, task.initialProgram().source(), task.featureMetric(),
                    engineConfig.islands());
            java.io.PrintWriter quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
            // the folder goes after the node that holds its journal has stopped
            try (TemporaryFolder removed = new TemporaryFolder(out);
                 EmbeddedNode node = EmbeddedNode.start(config, evaluator,
                         generators.orElseGet(() -> Evaluators.generators(config)))) {
                RunSession session = new RunSession(node, out, quiet, quiet);
                session.status(); // the cluster is up and the run entity answers before the clock starts
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                long writesStart = node.engine().journalWrites().snapshot().count();
                session.start(settings);
                RunStatus status = session.follow(Duration.ofMillis(20));
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                long journalWrites = node.engine().journalWrites().snapshot().count() - writesStart;
                double loadAverage = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage();
                RunHistory history = RunHistory.load(node.system(), RunSession.RUN_ID, Duration.ofMinutes(2));
                double evaluatorMillis = history.evaluated().stream()
                        .mapToLong(c -> c.evaluation().get().elapsedMillis()).average().orElse(0);
                long duplicates = history.proposalFailures().stream()
                        .filter(f -> f.reason().startsWith(Island.DUPLICATE)).count();
                return new Measurement(status.evaluated(), seconds, evaluatorMillis, duplicates, cpuSeconds, loadAverage,
                        journalWrites);
            }
        }
    }
}
