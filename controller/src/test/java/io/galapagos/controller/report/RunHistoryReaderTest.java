package io.galapagos.controller.report;

import io.galapagos.controller.Fixtures;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RunHistoryReaderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A journal in memory: events per persistence id, numbered from 1, and the ranges read. */
    private static final class MemoryJournal implements RunHistory.Journal {

        final Map<String, List<Object>> events = new HashMap<>();
        /** When each event was written: one clock for the whole journal, as a database's. */
        final Map<String, List<Long>> written = new HashMap<>();
        final List<String> reads = new ArrayList<>();
        private long clock = 1_000;

        void append(String persistenceId, Object event) {
            events.computeIfAbsent(persistenceId, id -> new ArrayList<>()).add(event);
            written.computeIfAbsent(persistenceId, id -> new ArrayList<>()).add(++clock);
        }

        /** The events of {@code persistenceId} as a history built from a list takes them. */
        List<RunHistory.StoredEvent> stored(String persistenceId) {
            List<RunHistory.StoredEvent> stored = new ArrayList<>();
            List<Object> all = events.getOrDefault(persistenceId, List.of());
            for (int k = 0; k < all.size(); k++) {
                stored.add(new RunHistory.StoredEvent(all.get(k), written.get(persistenceId).get(k)));
            }
            return stored;
        }

        @Override
        public List<RunHistory.JournalEvent> events(String persistenceId, long from, long to, Duration timeout) {
            reads.add(persistenceId + ":" + from + ".." + to);
            List<Object> all = events.getOrDefault(persistenceId, List.of());
            List<RunHistory.JournalEvent> out = new ArrayList<>();
            for (long n = from; n <= Math.min(to, all.size()); n++) {
                out.add(new RunHistory.JournalEvent(n, all.get((int) n - 1), written.get(persistenceId).get((int) n - 1)));
            }
            return out;
        }
    }

    private final MemoryJournal journal = new MemoryJournal();
    private final RunSettings settings = Fixtures.runSettings(2, 1_000, 4);
    private final RunHistory.Reader reader = new RunHistory.Reader(journal, "r1");

    private void started() {
        journal.append(Run.TYPE_KEY.name() + "|r1", new Run.RunStarted(settings, 1, 0));
    }

    private void proposed(int island, String id, long sequence, Optional<String> parent) {
        journal.append(islandPid(island), new Island.CandidateProposed(id, sequence, code(id), parent, "offline",
                "change " + id, Usage.NONE, Optional.empty()));
    }

    private void evaluated(int island, String id, double score) {
        journal.append(islandPid(island), new Island.CandidateEvaluated(id, EvaluationStatus.OK, score,
                Map.of("cost", -score), feedback(id), "TRAIN", 7, "worker-1", Optional.of("bwrap")));
    }

    private String islandPid(int island) {
        return Island.TYPE_KEY.name() + "|" + settings.islandId(island);
    }

    private static String code(String id) {
        return "class Policy { /* " + id + " */ }";
    }

    private static String feedback(String id) {
        return "feedback of " + id;
    }

    private static RunHistory.Candidate byId(RunHistory history, String id) {
        return history.candidates().stream().filter(c -> c.candidateId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aCandidateKeepsItsCodeInTheFirstHistoryThatShowsItEvaluatedAndLosesItInTheNext() {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        proposed(0, "a", 1, Optional.of("seed"));
        evaluated(0, "a", -5);
        proposed(0, "b", 2, Optional.of("a"));
        evaluated(0, "b", -20);

        RunHistory first = reader.read(TIMEOUT);
        assertThat(byId(first, "b").code()).isEqualTo(code("b"));
        assertThat(byId(first, "b").evaluation().orElseThrow().feedback()).isEqualTo(feedback("b"));

        RunHistory second = reader.read(TIMEOUT);
        RunHistory.Candidate b = byId(second, "b");
        assertThat(b.code()).isEmpty();
        assertThat(b.evaluation().orElseThrow().feedback()).isEmpty();
        // what the tables and the dashboard's rows show stays
        assertThat(b.evaluation().orElseThrow().score()).isEqualTo(-20);
        assertThat(b.evaluation().orElseThrow().metrics()).as("a task may report hundreds").isEmpty();
        assertThat(b.summary()).isEqualTo("change b");
        // the seed and the best keep their text: the outputs write them again and again
        assertThat(byId(second, "seed").code()).isEqualTo(code("seed"));
        assertThat(second.best().orElseThrow().candidateId()).isEqualTo("a");
        assertThat(second.best().orElseThrow().code()).isEqualTo(code("a"));
        assertThat(second.best().orElseThrow().evaluation().orElseThrow().feedback()).isEqualTo(feedback("a"));
        // the first history, already handed out, is not changed
        assertThat(byId(first, "b").code()).isEqualTo(code("b"));
    }

    @Test
    void inAParetoRunTheFrontKeepsItsCodeAndEveryProgramItsObjectiveMetrics() {
        Objectives objectives = new Objectives(Objectives.Mode.PARETO, List.of(new Objectives.Objective("cost", false),
                new Objectives.Objective("misses", false)));
        RunSettings pareto = new RunSettings("r1", "fake", 7, 2, 1_000, 3_600_000, 0, Optional.empty(),
                List.of("SMOKE", "TRAIN"), false, Optional.empty(), 42, Fixtures.SEED_CODE, "value",
                new IslandSettings(4, 4, 4, 0.2, 0.7, 0.1, 2, 2, 3, 1, 3, 5, 1.0, TuningSettings.OFF, Constraints.OFF,
                        objectives, io.galapagos.controller.island.Noise.OFF));
        journal.append(Run.TYPE_KEY.name() + "|r1", new Run.RunStarted(pareto, 1, 0));
        // cheapLate has the best score; onTime is on the front by its misses alone
        Map<String, double[]> programs = Map.of("seed", new double[]{10, 3}, "cheapLate", new double[]{5, 4},
                "onTime", new double[]{9, 0}, "dominated", new double[]{12, 1});
        long sequence = 0;
        for (String id : List.of("seed", "cheapLate", "onTime", "dominated")) {
            proposed(0, id, sequence++, id.equals("seed") ? Optional.empty() : Optional.of("seed"));
            journal.append(islandPid(0), new Island.CandidateEvaluated(id, EvaluationStatus.OK, -programs.get(id)[0],
                    Map.of("cost", programs.get(id)[0], "misses", programs.get(id)[1], "other", 1.0), feedback(id),
                    "TRAIN", 7, "worker-1", Optional.of("bwrap")));
        }
        reader.read(TIMEOUT);

        RunHistory later = reader.read(TIMEOUT);

        assertThat(later.front()).extracting(RunHistory.Candidate::candidateId).containsExactly("cheapLate", "onTime");
        assertThat(byId(later, "onTime").code()).as("not the best score, but on the front").isNotEmpty();
        RunHistory.Candidate dominated = byId(later, "dominated");
        assertThat(dominated.code()).isEmpty();
        assertThat(dominated.evaluation().orElseThrow().metrics()).as("the objectives only")
                .isEqualTo(Map.of("cost", 12.0, "misses", 1.0));
    }

    @Test
    void fullBringsBackTheCodeAndFeedbackFromTheJournalReadingOnlyTheCandidatesEvents() {
        started();
        proposed(1, "seed", 0, Optional.empty());
        evaluated(1, "seed", -10);
        proposed(1, "worse", 1, Optional.of("seed"));
        evaluated(1, "worse", -30);
        reader.read(TIMEOUT);
        RunHistory.Candidate held = byId(reader.read(TIMEOUT), "worse");
        assertThat(held.code()).isEmpty();
        journal.reads.clear();

        RunHistory.Candidate full = reader.full(held, TIMEOUT);

        assertThat(full.code()).isEqualTo(code("worse"));
        assertThat(full.evaluation().orElseThrow().feedback()).isEqualTo(feedback("worse"));
        assertThat(full.evaluation().orElseThrow().score()).isEqualTo(-30);
        assertThat(full.evaluation().orElseThrow().metrics()).containsEntry("cost", 30.0);
        String pid = islandPid(1);
        assertThat(journal.reads).containsExactly(pid + ":3..3", pid + ":4..4");
        // a candidate that kept its text comes back as it is, without reading
        journal.reads.clear();
        RunHistory.Candidate seed = byId(reader.read(TIMEOUT), "seed");
        journal.reads.clear();
        assertThat(reader.full(seed, TIMEOUT)).isSameAs(seed);
        assertThat(journal.reads).isEmpty();
    }

    @Test
    void aDisplacedBestLosesItsTextAndTheNewBestKeepsIt() {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        proposed(0, "a", 1, Optional.of("seed"));
        evaluated(0, "a", -5);
        reader.read(TIMEOUT);
        reader.read(TIMEOUT);
        proposed(0, "c", 2, Optional.of("a"));
        evaluated(0, "c", -1);
        reader.read(TIMEOUT);

        RunHistory later = reader.read(TIMEOUT);

        assertThat(byId(later, "a").code()).isEmpty();
        assertThat(later.best().orElseThrow().candidateId()).isEqualTo("c");
        assertThat(later.best().orElseThrow().code()).isEqualTo(code("c"));
        assertThat(later.lineage("c")).containsExactly("c", "a", "seed");
    }

    @Test
    void eachIslandsBestKeepsItsTextForTheIslandTables() {
        started();
        proposed(0, "seed0", 0, Optional.empty());
        evaluated(0, "seed0", -10);
        proposed(0, "x", 1, Optional.of("seed0"));
        evaluated(0, "x", -1);
        proposed(1, "seed1", 0, Optional.empty());
        evaluated(1, "seed1", -10);
        proposed(1, "y", 1, Optional.of("seed1"));
        evaluated(1, "y", -4);
        proposed(1, "z", 2, Optional.of("seed1"));
        evaluated(1, "z", -8);
        reader.read(TIMEOUT);

        RunHistory later = reader.read(TIMEOUT);

        assertThat(later.bestOf(settings.islandId(1)).orElseThrow().code()).isEqualTo(code("y"));
        assertThat(byId(later, "z").code()).isEmpty();
    }

    @Test
    void aCandidateEvaluatedAgainAfterItsTextWentHasItBackInTheNextHistory() {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        proposed(0, "a", 1, Optional.of("seed"));
        evaluated(0, "a", -50);
        reader.read(TIMEOUT);
        assertThat(byId(reader.read(TIMEOUT), "a").code()).isEmpty();
        evaluated(0, "a", -1);

        RunHistory again = reader.read(TIMEOUT);

        assertThat(again.best().orElseThrow().candidateId()).isEqualTo("a");
        assertThat(again.best().orElseThrow().code()).isEqualTo(code("a"));
        assertThat(again.evaluationsPerCandidate()).containsEntry("a", 2);
    }

    @Test
    void theCandidateLogWritesTheCodeOfACandidateWhoseTextTheHistoryNoLongerHolds(@org.junit.jupiter.api.io.TempDir Path out)
            throws Exception {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        proposed(0, "a", 1, Optional.of("seed"));
        evaluated(0, "a", -50);
        reader.read(TIMEOUT); // a refresh whose writing failed
        RunHistory later = reader.read(TIMEOUT);
        assertThat(byId(later, "a").code()).isEmpty();

        CandidateLog.open(out, "java").append(later, candidate -> reader.full(candidate, TIMEOUT));

        assertThat(Files.readString(out.resolve("candidates/0-1.java"))).isEqualTo(code("a"));
        assertThat(Files.readString(out.resolve(CandidateLog.FILE))).contains(feedback("a"));
    }

    @Test
    void aHistoryLoadedOnceHoldsEveryText() {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        proposed(0, "a", 1, Optional.of("seed"));
        evaluated(0, "a", -50);

        RunHistory once = new RunHistory.Reader(journal, "r1").read(TIMEOUT);

        assertThat(once.candidates()).allSatisfy(c -> assertThat(c.code()).isNotEmpty());
    }

    @Test
    void aReadThatBringsManyEvaluationsHoldsOnlyTheMostRecentWhole() {
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -1_000);
        int count = RunHistory.Reader.WHOLE_PER_READ + 100;
        for (int n = 1; n <= count; n++) {
            proposed(0, "c" + n, n, Optional.of("seed"));
            evaluated(0, "c" + n, -n); // c1 is the best
        }

        RunHistory caughtUp = reader.read(TIMEOUT);

        assertThat(byId(caughtUp, "c100").code()).as("evaluated before the most recent").isEmpty();
        assertThat(byId(caughtUp, "c100").evaluation().orElseThrow().metrics()).isEmpty();
        assertThat(byId(caughtUp, "c100").evaluation().orElseThrow().score()).isEqualTo(-100);
        assertThat(byId(caughtUp, "c101").code()).isEqualTo(code("c101"));
        assertThat(byId(caughtUp, "c" + count).code()).isEqualTo(code("c" + count));
        assertThat(byId(caughtUp, "seed").code()).isEqualTo(code("seed"));
        assertThat(caughtUp.best().orElseThrow().code()).isEqualTo(code("c1"));
        RunHistory.Candidate back = reader.full(byId(caughtUp, "c50"), TIMEOUT);
        assertThat(back.code()).isEqualTo(code("c50"));
        assertThat(back.evaluation().orElseThrow().feedback()).isEqualTo(feedback("c50"));
    }

    /**
     * A resumed fast run's first read brings tens of thousands of evaluations, most without their text, which
     * the candidate log then writes: one journal read per candidate made the log fall minutes behind.
     */
    @Test
    void theCandidateLogWritesAReadOfManyEvaluationsWithAJournalReadPerWindowNotPerCandidate(
            @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        started();
        int count = 3 * RunHistory.Reader.FULL_WINDOW;
        for (int island = 0; island < 2; island++) {
            proposed(island, "seed" + island, 0, Optional.empty());
            evaluated(island, "seed" + island, -1_000);
            for (int n = 1; n <= count; n++) {
                proposed(island, island + "-c" + n, n, Optional.of("seed" + island));
                evaluated(island, island + "-c" + n, -n);
            }
        }
        RunHistory caughtUp = reader.readToWrite(TIMEOUT);
        assertThat(caughtUp.evaluated().stream().filter(c -> c.code().isEmpty()).count())
                .as("held without text").isGreaterThan(count);
        journal.reads.clear();

        int appended = CandidateLog.open(out, "java").append(caughtUp, candidate -> reader.full(candidate, TIMEOUT), true);

        assertThat(appended).isEqualTo(2 * (count + 1));
        // an island's first candidate alone (two reads), then two events per candidate: a window serves
        // FULL_WINDOW / 2 of an island's candidates
        assertThat(journal.reads).hasSizeLessThanOrEqualTo(2 * (2 * count / RunHistory.Reader.FULL_WINDOW + 4));
        for (int island = 0; island < 2; island++) {
            for (int n : new int[]{1, count / 2, count}) {
                RunHistory.Candidate c = byId(caughtUp, island + "-c" + n);
                assertThat(Files.readString(out.resolve(CandidateLog.codeFile(c, "java"))))
                        .isEqualTo(code(island + "-c" + n));
            }
        }
        List<String> lines = Files.readAllLines(out.resolve(CandidateLog.FILE));
        assertThat(lines).hasSize(2 * (count + 1));
        assertThat(lines).allMatch(line -> line.contains("\"feedback\":\"") && !line.contains("\"feedback\":\"\""));
    }

    @Test
    void aReaderKeepsOnlyTheLatestProgressOfTheRunWhichGivesItsElapsedTime() {
        started();
        for (long n = 1; n <= 50; n++) {
            journal.append(Run.TYPE_KEY.name() + "|r1", new Run.ProgressRecorded(new io.galapagos.controller.run.IslandReport(
                    0, n, n, 0, Map.of(), 0, Optional.empty(), false, Map.of(), "offline", 0), 1_000 * n));
        }

        RunHistory first = reader.read(TIMEOUT);
        journal.append(Run.TYPE_KEY.name() + "|r1", new Run.ProgressRecorded(new io.galapagos.controller.run.IslandReport(
                0, 51, 51, 0, Map.of(), 0, Optional.empty(), false, Map.of(), "offline", 0), 51_000));
        RunHistory second = reader.read(TIMEOUT);

        assertThat(first.elapsedMillis()).isEqualTo(50_000);
        assertThat(second.elapsedMillis()).isEqualTo(51_000);
        assertThat(second.runEvents()).hasSize(2).first().isInstanceOf(Run.RunStarted.class);
        assertThat(second.phase()).isEqualTo(io.galapagos.controller.run.RunStatus.Phase.RUNNING);
    }

    @Test
    @Timeout(10)
    void aReaderKeepsTheLatestReportOfEachIslandWithItsBest() {
        started();
        for (long n = 1; n <= 20; n++) {
            int island = (int) (n % 2);
            journal.append(Run.TYPE_KEY.name() + "|r1", new Run.ProgressRecorded(new io.galapagos.controller.run.IslandReport(
                    island, n, n, 0, Map.of(), 0, Optional.of(new io.galapagos.controller.run.BestSummary(
                            "r1/" + island + "/" + n, "r1/" + island, -100.0 + n, Optional.empty(), 0)),
                    false, Map.of(), "offline", 0), 1_000 * n));
        }

        RunHistory history = reader.read(TIMEOUT);

        assertThat(history.runEvents()).filteredOn(Run.ProgressRecorded.class::isInstance)
                .extracting(e -> ((Run.ProgressRecorded) e).report().best().orElseThrow().candidateId())
                .containsExactly("r1/1/19", "r1/0/20");
        assertThat(history.elapsedMillis()).isEqualTo(20_000);
    }
    private void failed(int island, long sequence, String parent, boolean duplicate) {
        journal.append(islandPid(island), new Island.ProposalFailed(sequence, parent, "model-a",
                duplicate ? "duplicate of " + parent + "\nsame program" : "no code block", new Usage(10, 5, 0.25),
                false, duplicate ? Optional.of(new Island.Repeat(parent, true, 1.0, Optional.empty())) : Optional.empty()));
    }

    @Test
    void aWritingClientsFailedProposalsAreCountedOnceItHadThemAndTheFilesHoldEveryOne(
            @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        int many = RunHistory.Reader.RECENT_FAILED + 200;
        started();
        proposed(0, "seed", 0, Optional.empty());
        evaluated(0, "seed", -10);
        for (int n = 1; n <= many; n++) {
            failed(0, n, "seed", n % 2 == 0);
        }
        CandidateLog log = CandidateLog.open(out, "java");
        RunHistory first = reader.readToWrite(TIMEOUT);
        log.append(first, candidate -> reader.full(candidate, TIMEOUT), true);
        failed(1, 1, "seed", false);
        RunHistory dashboards = reader.read(TIMEOUT); // another client's read: it writes nothing
        RunHistory second = reader.readToWrite(TIMEOUT);
        log.append(second, candidate -> reader.full(candidate, TIMEOUT), true);

        assertThat(first.proposalFailures()).hasSize(many);
        assertThat(dashboards.proposalFailures()).hasSize(many + 1);
        assertThat(second.proposalFailures()).as("the most recent, with the one the writer has not had")
                .hasSize(RunHistory.Reader.RECENT_FAILED)
                .last().satisfies(f -> assertThat(f.island()).isEqualTo(settings.islandId(1)));
        assertThat(second.failedBefore().count()).isEqualTo(many + 1 - RunHistory.Reader.RECENT_FAILED);
        RunHistory whole = RunHistory.of(List.of(new Run.RunStarted(settings, 1, 0)), islandId -> {
            List<RunHistory.StoredEvent> events = new ArrayList<>();
            journal.events.getOrDefault(Island.TYPE_KEY.name() + "|" + islandId, List.of())
                    .forEach(e -> events.add(new RunHistory.StoredEvent(e, 0)));
            return events;
        });
        assertThat(second.failedProposals()).isEqualTo(whole.failedProposals()).isEqualTo(many + 1);
        assertThat(second.duplicates()).isEqualTo(whole.duplicates());
        assertThat(second.nearDuplicates()).isEqualTo(whole.nearDuplicates());
        assertThat(second.spending()).isEqualTo(whole.spending());
        assertThat(second.proposalFailureReasons()).isEqualTo(whole.proposalFailureReasons());
        List<String> table = Files.readAllLines(out.resolve(RunOutputs.FAILED_PROPOSALS_FILE));
        List<String> wholeTable = RunOutputs.failedProposalsCsv(whole).lines().toList();
        assertThat(table).as("every row once, in the order the log had them").containsExactlyElementsOf(wholeTable);

        // the outputs while the run goes leave the table to the log, and count what the history no longer lists
        RunOutputs.write(out, second, Optional.empty(), RunComparison.of(second, List.of(), RunComparison.baselines(out),
                Optional.empty(), Optional.empty()), false);
        assertThat(Files.readAllLines(out.resolve(RunOutputs.FAILED_PROPOSALS_FILE))).containsExactlyElementsOf(wholeTable);
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("<td>failed proposals</td><td class=\"n\">" + (many + 1) + "</td>");
    }

    /**
     * A long run: two islands, candidates that fail now and then, use tokens, name a prompt variant and
     * descend from earlier ones (some long gone from the list), journalled in batches between reads.
     */
    private int longRun(RunHistory.Reader reader, int perIsland, java.util.function.Consumer<RunHistory> eachRead) {
        java.util.Random random = new java.util.Random(7);
        started();
        for (int island = 0; island < 2; island++) {
            proposed(island, candidateId(island, 0), 0, Optional.empty());
            evaluated(island, candidateId(island, 0), -1_000);
        }
        int batch = 700;
        for (int from = 1; from <= perIsland; from += batch) {
            for (int sequence = from; sequence < Math.min(perIsland + 1, from + batch); sequence++) {
                for (int island = 0; island < 2; island++) {
                    String id = candidateId(island, sequence);
                    String parent = candidateId(random.nextInt(5) == 0 ? 1 - island : island, random.nextInt(sequence));
                    boolean model = random.nextBoolean();
                    journal.append(islandPid(island), new Island.CandidateProposed(id, sequence, code(id),
                            Optional.of(parent), model ? "model-a" : "offline", "change " + id,
                            model ? new Usage(100, 20, 0.125) : Usage.NONE, Optional.empty(),
                            model ? Optional.of(io.galapagos.controller.generation.PromptVariant.IMPROVE) : Optional.empty()));
                    boolean fails = random.nextInt(10) == 0;
                    journal.append(islandPid(island), new Island.CandidateEvaluated(id,
                            fails ? EvaluationStatus.TIMEOUT : EvaluationStatus.OK,
                            fails ? Double.NaN : -1_000 + sequence * random.nextDouble(), Map.of("cost", 1.0),
                            feedback(id), "TRAIN", 7, "worker-1", Optional.of(random.nextInt(50) == 0 ? "none (test)" : "bwrap")));
                }
            }
            eachRead.accept(reader.readToWrite(TIMEOUT));
        }
        return 2 * (perIsland + 1);
    }

    private String candidateId(int island, int sequence) {
        return settings.islandId(island) + "/" + sequence;
    }

    private RunHistory whole() {
        return RunHistory.of(List.of(new Run.RunStarted(settings, 1, 0)),
                islandId -> journal.stored(Island.TYPE_KEY.name() + "|" + islandId));
    }

    @Test
    void aLongRunsHistoryListsItsRecentKeptAndTopCandidatesAndCountsTheRestAsTheWholeHistoryDoes() {
        RunHistory.Reader writer = new RunHistory.Reader(journal, "r1", true);
        int proposed = longRun(writer, 3_000, history -> { });
        writer.readToWrite(TIMEOUT);
        RunHistory lean = writer.readToWrite(TIMEOUT);
        RunHistory whole = whole();

        assertThat(lean.candidates().size()).as("listed of " + proposed)
                .isLessThanOrEqualTo(RunHistory.Reader.RECENT_EVALUATED + RunHistory.Reader.TOP_SCORES + 20);
        assertThat(lean.evaluatedBefore().evaluated()).isGreaterThan(proposed / 2);
        assertThat(lean.evaluatedCount()).isEqualTo(whole.evaluatedCount()).isEqualTo(proposed);
        assertThat(lean.proposed()).isEqualTo(whole.proposed());
        assertThat(lean.statuses()).isEqualTo(whole.statuses());
        assertThat(lean.failures()).isEqualTo(whole.failures()).isNotEmpty();
        assertThat(lean.isolations()).isEqualTo(whole.isolations());
        assertThat(lean.unjailed()).isEqualTo(whole.unjailed()).isPositive();
        assertThat(lean.evaluatedPerIsland()).isEqualTo(whole.evaluatedPerIsland());
        assertThat(lean.spending()).isEqualTo(whole.spending()); // eighths of a dollar add up exactly
        assertThat(lean.earned()).isEqualTo(whole.earned());
        assertThat(lean.earnedByVariant()).isEqualTo(whole.earnedByVariant()).isNotEmpty();
        assertThat(lean.progress()).isEqualTo(whole.progress());
        assertThat(lean.best().map(RunHistory.Candidate::candidateId)).isEqualTo(whole.best().map(RunHistory.Candidate::candidateId));
        for (int island = 0; island < 2; island++) {
            String islandId = settings.islandId(island);
            assertThat(lean.bestOf(islandId).map(RunHistory.Candidate::candidateId))
                    .isEqualTo(whole.bestOf(islandId).map(RunHistory.Candidate::candidateId));
        }
        String best = whole.best().orElseThrow().candidateId();
        assertThat(lean.lineage(best)).isEqualTo(whole.lineage(best)).hasSizeGreaterThan(2);
        String old = candidateId(1, 10);
        assertThat(lean.candidates()).noneMatch(c -> c.candidateId().equals(old));
        assertThat(lean.lineage(old)).as("a candidate no longer listed").isEqualTo(whole.lineage(old));
        assertThat(top(lean, 20)).isEqualTo(top(whole, 20));
        assertThat(RunReport.svg(lean, List.of())).isEqualTo(RunReport.svg(whole, List.of()));
    }

    private static List<String> top(RunHistory history, int n) {
        return history.evaluated().stream().filter(c -> c.succeeded())
                .sorted(java.util.Comparator.comparingDouble((RunHistory.Candidate c) -> c.evaluation().get().score())
                        .reversed()).limit(n).map(RunHistory.Candidate::candidateId).toList();
    }

    @Test
    void aWritingClientsReaderCountsOnlyWhatItsWritingReadsHandedOut() {
        RunHistory.Reader writer = new RunHistory.Reader(journal, "r1", true);
        int proposed = longRun(writer, 0, history -> { });
        for (int sequence = 1; sequence <= 3_000; sequence++) {
            String id = candidateId(0, sequence);
            journal.append(islandPid(0), new Island.CandidateProposed(id, sequence, code(id),
                    Optional.of(candidateId(0, 0)), "offline", "", Usage.NONE, Optional.empty()));
            evaluated(0, id, -sequence);
        }
        writer.read(TIMEOUT);
        writer.read(TIMEOUT);
        RunHistory shown = writer.read(TIMEOUT);
        assertThat(shown.evaluatedBefore().evaluated()).as("a dashboard's reads count nothing").isZero();
        assertThat(shown.candidates()).hasSize(proposed + 3_000);

        writer.readToWrite(TIMEOUT);
        RunHistory next = writer.readToWrite(TIMEOUT);
        assertThat(next.evaluatedBefore().evaluated()).isEqualTo(proposed + 3_000 - RunHistory.Reader.RECENT_EVALUATED);
        assertThat(next.evaluatedCount()).isEqualTo(proposed + 3_000);

        RunHistory.Reader dashboard = new RunHistory.Reader(journal, "r1");
        dashboard.read(TIMEOUT);
        assertThat(dashboard.read(TIMEOUT).evaluatedBefore().evaluated()).as("a reader no client writes from")
                .isEqualTo(proposed + 3_000 - RunHistory.Reader.RECENT_EVALUATED);
    }

    @Test
    void theCandidateLogOfALongRunWritesEveryCandidateOnceAndForgetsTheKeysOfThoseCounted(
            @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        RunHistory.Reader writer = new RunHistory.Reader(journal, "r1", true);
        CandidateLog log = CandidateLog.open(out, "java");
        List<Integer> keys = new ArrayList<>();
        int proposed = longRun(writer, 3_000, history -> {
            log.append(history, c -> writer.full(c, TIMEOUT), true);
            keys.add(log.keys());
        });
        for (int k = 0; k < 2; k++) {
            log.append(writer.readToWrite(TIMEOUT), c -> writer.full(c, TIMEOUT), true);
        }

        List<String> lines = Files.readAllLines(out.resolve("candidates.jsonl"));
        assertThat(lines).hasSize(proposed);
        assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(',', l.indexOf("\"id\"")))).distinct()).hasSize(proposed);
        assertThat(Files.readAllLines(out.resolve(RunOutputs.HISTORY_FILE))).hasSize(proposed + 1);
        assertThat(log.keys()).as("two keys per candidate would be " + 2 * proposed)
                .isLessThan(4 * (RunHistory.Reader.RECENT_EVALUATED + RunHistory.Reader.TOP_SCORES + 20) + CandidateLog.FORGET_SLACK)
                .isLessThan(2 * proposed);
        assertThat(CandidateLog.open(out, "java").keys()).as("a new log reads every key back").isEqualTo(2 * proposed);
    }
}
