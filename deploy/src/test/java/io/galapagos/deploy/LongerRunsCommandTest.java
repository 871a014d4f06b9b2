package io.galapagos.deploy;

import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.engine.StartingPrograms;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** Your own program, longer runs and branches, on the embedded node: run --initial/--from/--wall-clock, resume --iterations. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
class LongerRunsCommandTest {

    private static final String NOOP_INITIAL = TaskRegistry.load().require("noop").initialProgram().source();

    private static Path config(Path dir) throws Exception {
        return Files.writeString(dir.resolve("test.conf"), "galapagos.worker.slots = 2\ngalapagos.islands.in-flight = 2\n");
    }

    private static Outcome run(Path dir, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--task", "noop", "--seed", "3",
                "--config", config(dir).toString()));
        args.addAll(List.of(more));
        return galapagos(args.toArray(String[]::new));
    }

    private static void assertUsage(Outcome outcome, String command, String... fragments) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).startsWith("galapagos " + command + ": ").doesNotContain("\n");
        for (String fragment : fragments) {
            assertThat(outcome.err()).contains(fragment);
        }
    }

    @Test
    @Timeout(300)
    void aFinishedRunExtendedWithResumeIterationsEvaluatesMoreAndKeepsTheEarlierCandidates(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Outcome first = run(dir, "--iterations", "6", "--islands", "2", "--out", out.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        RunHistory before = ResumeCommand.readHistory(out);
        assertThat(before.evaluated()).hasSize(6);
        assertThat(before.completion()).contains("iteration budget spent");

        assertUsage(galapagos("resume", "--out", out.toString(), "--iterations", "5"), "resume",
                "--iterations 5 is below the 6 candidates the run has already proposed");
        assertUsage(galapagos("resume", "--out", out.toString(), "--wall-clock", "soon"), "resume",
                "--wall-clock: 'soon' is not a duration");
        assertUsage(galapagos("resume", "--out", out.toString(), "--wall-clock", "1ms"), "resume",
                "the run has already run");

        Outcome resumed = galapagos("resume", "--out", out.toString(), "--iterations", "12");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        RunHistory after = ResumeCommand.readHistory(out);
        assertThat(after.evaluated()).hasSize(12);
        assertThat(after.evaluationsPerCandidate().values()).containsOnly(1);
        assertThat(after.settings().orElseThrow().iterations()).isEqualTo(12);
        assertThat(after.runEvents().stream().filter(e -> e instanceof io.galapagos.controller.run.Run.RunCompleted))
                .hasSize(2);
        Map<String, RunHistory.Candidate> now = after.candidates().stream()
                .collect(Collectors.toMap(RunHistory.Candidate::candidateId, Function.identity()));
        for (RunHistory.Candidate earlier : before.candidates()) {
            assertThat(now.get(earlier.candidateId())).isEqualTo(earlier);
        }
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + 12);
    }

    @Test
    @Timeout(300)
    void aRunStartsFromTheUsersOwnProgramAndABranchFromTheBestProgramsOfAnEarlierRun(@TempDir Path dir)
            throws Exception {
        Path mine = Files.writeString(dir.resolve("Mine.java"), NOOP_INITIAL.replace("return 2.0;", "return 42.0;"));
        Path first = dir.resolve("first");
        Outcome own = run(dir, "--iterations", "8", "--islands", "2", "--initial", mine.toString(),
                "--out", first.toString());

        assertThat(own.exitCode()).as(own.err()).isZero();
        RunHistory earlier = ResumeCommand.readHistory(first);
        List<RunHistory.Candidate> seeds = earlier.candidates().stream().filter(c -> c.parentId().isEmpty()).toList();
        assertThat(seeds).extracting(RunHistory.Candidate::candidateId).containsExactlyInAnyOrder("run/0/0", "run/1/0");
        assertThat(seeds).allSatisfy(seed -> assertThat(seed.code()).isEqualTo(Files.readString(mine)));

        Path branch = dir.resolve("branch");
        Outcome branched = run(dir, "--iterations", "10", "--islands", "2", "--from", first.toString(),
                "--out", branch.toString());

        assertThat(branched.exitCode()).as(branched.err()).isZero();
        RunHistory later = ResumeCommand.readHistory(branch);
        List<String> expected = StartingPrograms.bestOf(earlier, 2);
        assertThat(expected).hasSize(3).first().isEqualTo(earlier.best().orElseThrow().code());
        assertThat(later.settings().orElseThrow().seedPrograms()).isEqualTo(expected);
        List<RunHistory.Candidate> branchSeeds = later.candidates().stream().filter(c -> c.parentId().isEmpty()).toList();
        assertThat(branchSeeds).extracting(RunHistory.Candidate::candidateId)
                .containsExactlyInAnyOrder("run/0/0", "run/0/1", "run/1/0", "run/1/1");
        assertThat(branchSeeds).allMatch(c -> c.generator().equals("seed") && c.evaluation().isPresent());
        assertThat(branchSeeds.stream().map(RunHistory.Candidate::code).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(later.evaluated()).hasSize(10);

        assertUsage(galapagos("run", "--task", "ticker", "--from", first.toString(), "--out", dir.resolve("x").toString()),
                "run", "is a run of the task 'noop', not of 'ticker'");
        assertUsage(run(dir, "--from", first.toString(), "--initial", mine.toString(), "--out", dir.resolve("y").toString()),
                "run", "--initial and --from both say where the islands start");
        assertUsage(run(dir, "--from", dir.toString(), "--out", dir.resolve("z").toString()), "run",
                "--from " + dir + " holds no run");
        assertUsage(run(dir, "--from", first.toString(), "--iterations", "3", "--islands", "2", "--out",
                dir.resolve("w").toString()), "run", "too few for the 3 seed programs");
    }

    @Test
    @Timeout(300)
    void aTinyWallClockBudgetStopsTheRunAndBadStartingProgramsAreOneLine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Outcome run = run(dir, "--iterations", "1000000", "--islands", "1", "--wall-clock", "1ms", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        RunHistory history = ResumeCommand.readHistory(out);
        assertThat(history.settings().orElseThrow().wallClockMillis()).isEqualTo(1);
        assertThat(history.completion()).hasValueSatisfying(reason -> assertThat(reason).startsWith("wall-clock budget of"));
        assertThat(history.evaluated().size()).isLessThan(1_000_000);

        assertUsage(run(dir, "--wall-clock", "ten minutes", "--out", dir.resolve("a").toString()), "run",
                "--wall-clock: 'ten minutes' is not a duration; write e.g. 90m, 2h or 30s, or off");
        assertUsage(run(dir, "--initial", dir.resolve("absent.java").toString(), "--out", dir.resolve("b").toString()),
                "run", "--initial " + dir.resolve("absent.java") + ": no such file");
        Path broken = Files.writeString(dir.resolve("Broken.java"), NOOP_INITIAL.replace("return 2.0;", "return y;"));
        assertUsage(run(dir, "--initial", broken.toString(), "--out", dir.resolve("c").toString()), "run",
                "--initial " + broken + " does not compile: line 4, column 16: cannot find symbol");
        Path unmarked = Files.writeString(dir.resolve("Unmarked.java"),
                NOOP_INITIAL.replace("// EVOLVE-BLOCK-START", "").replace("// EVOLVE-BLOCK-END", ""));
        assertUsage(run(dir, "--initial", unmarked.toString(), "--out", dir.resolve("d").toString()), "run",
                "must contain an EVOLVE-BLOCK-START line and an EVOLVE-BLOCK-END line");
        Path unclosed = Files.writeString(dir.resolve("Unclosed.java"), NOOP_INITIAL.replace("// EVOLVE-BLOCK-END", ""));
        assertUsage(run(dir, "--initial", unclosed.toString(), "--out", dir.resolve("e").toString()), "run",
                "--initial " + unclosed + " never closes the EVOLVE-BLOCK-START at line");
    }
}
