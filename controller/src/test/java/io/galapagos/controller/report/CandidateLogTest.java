package io.galapagos.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.Usage;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.history;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static io.galapagos.controller.report.ReportFixtures.test;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class CandidateLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(Path out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(CandidateLog.FILE))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void repeatedProposalsAreCountedAndNamedByKind(@TempDir Path out) throws IOException {
        RunHistory.FailedProposal duplicate = new RunHistory.FailedProposal("run/0", 3, "run/0/1", "offline",
                "duplicate of run/0/2", Usage.NONE, false,
                Optional.of(new io.galapagos.controller.island.Island.Repeat("run/0/2", true, 1.0, Optional.empty())),
                Optional.empty());
        RunHistory.FailedProposal near = new RunHistory.FailedProposal("run/0", 4, "run/0/1", "offline",
                "near-duplicate of run/0/1", Usage.NONE, false,
                Optional.of(new io.galapagos.controller.island.Island.Repeat("run/0/1", false, 0.995, Optional.of(-5.0))),
                Optional.empty());
        RunHistory.FailedProposal unparsed = new RunHistory.FailedProposal("run/0", 5, "run/0/1", "offline",
                "no code", Usage.NONE, false);
        RunHistory run = history(List.of(), List.of(duplicate, near, unparsed));

        assertThat(run.failedProposals()).isEqualTo(3);
        assertThat(run.duplicates()).isEqualTo(1);
        assertThat(run.nearDuplicates()).isEqualTo(1);
        CandidateLog.open(out, "java").append(run);
        assertThat(lines(out)).extracting(l -> l.get("kind").asText())
                .containsExactly("duplicate", "near-duplicate", "answer");
        assertThat(RunOutputs.failedProposalsCsv(run)).contains(",offline,duplicate,", ",offline,near-duplicate,",
                ",offline,answer,");
    }

    @Test
    void appendsEachOutcomeOnceInTheHistorysOrderWithItsCodeFile(@TempDir Path out) throws IOException {
        RunHistory.Candidate seed = candidate("run/0", 0, Optional.empty(), Optional.of(ok(-5, Map.of("misses", 0.0), 1)),
                Optional.empty());
        RunHistory.Candidate inFlight = candidate("run/0", 2, Optional.of("run/0/0"), Optional.empty(), Optional.empty());
        RunHistory first = history(List.of(seed, inFlight), List.of());
        CandidateLog log = CandidateLog.open(out, "py");

        assertThat(log.append(first)).isEqualTo(1);
        assertThat(log.append(first)).as("nothing new").isZero();

        RunHistory.Candidate child = candidate("run/0", 2, Optional.of("run/0/0"),
                Optional.of(ok(-3, Map.of("misses", 4.0), 2)), Optional.of(test(-3.5, Map.of("misses", 5.0))));
        RunHistory.Candidate failed = candidate("run/1", 1, Optional.of("run/1/0"), Optional.of(
                new RunHistory.Evaluation(EvaluationStatus.COMPILE_ERROR, Double.NEGATIVE_INFINITY, Map.of(),
                        "x".repeat(CandidateLog.MAX_TEXT_CHARS + 50), "SMOKE", 3, "worker-1", 3, Optional.empty())),
                Optional.empty());
        RunHistory.Candidate seedTested = candidate("run/0", 0, Optional.empty(),
                Optional.of(ok(-5, Map.of("misses", 0.0), 1)), Optional.of(test(-4, Map.of("misses", 0.0))));
        RunHistory.FailedProposal refused = new RunHistory.FailedProposal("run/1", 3, "run/1/0", "gpt", "HTTP 500",
                Usage.NONE, true);
        assertThat(log.append(history(List.of(seedTested, child, failed), List.of(refused)))).isEqualTo(4);

        List<JsonNode> lines = lines(out);
        assertThat(lines).extracting(l -> l.get("type").asText() + " " + l.path("id").asText(l.path("island").asText()))
                .containsExactly("candidate run/0/0", "candidate run/0/2", "candidate run/1/1", "test run/0/0",
                        "failed-proposal run/1");
        JsonNode childLine = lines.get(1);
        assertThat(childLine.get("parent").asText()).isEqualTo("run/0/0");
        assertThat(childLine.get("generator").asText()).isEqualTo("offline");
        assertThat(childLine.get("score").asDouble()).isEqualTo(-3);
        assertThat(childLine.get("testScore").asDouble()).isEqualTo(-3.5);
        assertThat(childLine.get("metrics").get("misses").asDouble()).isEqualTo(4);
        assertThat(childLine.get("promptTokens").asLong()).isEqualTo(100);
        assertThat(childLine.get("file").asText()).isEqualTo("candidates/0-2.py");
        assertThat(out.resolve("candidates/0-2.py")).hasContent("class C { int v = 2; }");
        JsonNode failedLine = lines.get(2);
        assertThat(failedLine.get("status").asText()).isEqualTo("COMPILE_ERROR");
        assertThat(failedLine.get("score").isNull()).as("minus infinity is null").isTrue();
        assertThat(failedLine.get("feedback").asText()).hasSizeLessThan(CandidateLog.MAX_TEXT_CHARS + 60)
                .endsWith("(50 more characters in the journal)");
        assertThat(lines.get(3).get("testScore").asDouble()).isEqualTo(-4);
        assertThat(lines.get(4).get("kind").asText()).isEqualTo("call");
        assertThat(lines.get(4).get("reason").asText()).isEqualTo("HTTP 500");
    }

    @Test
    void aNewProcessOnAResumedRunAppendsOnlyWhatIsMissingAndDropsACutLastLine(@TempDir Path out) throws IOException {
        RunHistory.Candidate seed = candidate("run/0", 0, Optional.empty(), Optional.of(ok(-5, Map.of(), 1)),
                Optional.empty());
        RunHistory.Candidate child = candidate("run/0", 1, Optional.of("run/0/0"), Optional.of(ok(-4, Map.of(), 2)),
                Optional.of(test(-4, Map.of())));
        CandidateLog.open(out, "java").append(history(List.of(seed, child), List.of()));
        // the file as an earlier process left it: the seed's line, then the child's cut by a crash
        List<String> written = Files.readAllLines(out.resolve(CandidateLog.FILE));
        Files.writeString(out.resolve(CandidateLog.FILE), written.get(0) + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve(CandidateLog.FILE), "{\"type\":\"candidate\",\"id\":\"run/0/1\",\"isl",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        int appended = CandidateLog.open(out, "java").append(history(List.of(seed, child), List.of()));
        int again = CandidateLog.open(out, "java").append(history(List.of(seed, child), List.of()));

        assertThat(appended).isEqualTo(1);
        assertThat(again).as("a test on a candidate's own line is not written again").isZero();
        assertThat(lines(out)).extracting(l -> l.get("id").asText()).containsExactly("run/0/0", "run/0/1");
        assertThat(lines(out).get(1).get("testScore").asDouble()).isEqualTo(-4);
        assertThat(out.resolve("candidates/0-1.java")).exists();
    }

    @Test
    void appendsTheRowsOfHistoryCsvAsTheFullTableWouldHoldThem(@TempDir Path out) throws IOException {
        RunHistory.Candidate seed = candidate("run/0", 0, Optional.empty(), Optional.of(ok(-5, Map.of("misses", 0.0), 1)),
                Optional.empty());
        RunHistory.Candidate child = candidate("run/0", 1, Optional.of("run/0/0"),
                Optional.of(ok(-4, Map.of("misses", 2.0), 2)), Optional.empty());
        RunHistory.Candidate other = candidate("run/1", 1, Optional.of("run/0/0"),
                Optional.of(ok(-6, Map.of("misses", 1.0), 3)), Optional.empty());
        CandidateLog log = CandidateLog.open(out, "java");

        log.append(history(List.of(seed), List.of()));
        log.append(history(List.of(seed, child), List.of()));
        CandidateLog.open(out, "java").append(history(List.of(seed, child, other), List.of()));

        RunHistory all = history(List.of(seed, child, other), List.of());
        assertThat(out.resolve(RunOutputs.HISTORY_FILE)).hasContent(RunOutputs.historyCsv(all).strip());
    }

    @Test
    void writesTheRowsOfATableWithAnotherHeaderAgainAndDropsACutLastRow(@TempDir Path out) throws IOException {
        RunHistory.Candidate seed = candidate("run/0", 0, Optional.empty(), Optional.of(ok(-5, Map.of(), 1)),
                Optional.empty());
        RunHistory.Candidate child = candidate("run/0", 1, Optional.of("run/0/0"), Optional.of(ok(-4, Map.of(), 2)),
                Optional.empty());
        RunHistory both = history(List.of(seed, child), List.of());
        Path table = out.resolve(RunOutputs.HISTORY_FILE);
        Files.writeString(table, "order,candidate,score\n1,run/0/0,-5\n");

        CandidateLog.open(out, "java").append(both);
        assertThat(table).hasContent(RunOutputs.historyCsv(both).strip());

        String full = Files.readString(table);
        Files.writeString(table, full.substring(0, full.length() - 10));
        CandidateLog.open(out, "java").append(both);
        assertThat(table).hasContent(RunOutputs.historyCsv(both).strip());
    }

    @Test
    void takesACandidateWhoseTextTheHistoryLeftOutThroughFull(@TempDir Path out) throws IOException {
        RunHistory.Candidate complete = candidate("run/0", 3, Optional.of("run/0/0"),
                Optional.of(ok(-4, Map.of("misses", 2.0), 2)), Optional.empty());
        RunHistory.Candidate held = complete.withoutText(java.util.Set.of());

        CandidateLog.open(out, "java").append(history(List.of(held), List.of()),
                c -> c.candidateId().equals(complete.candidateId()) ? complete : c);

        assertThat(out.resolve("candidates/0-3.java")).hasContent(complete.code());
        assertThat(lines(out).get(0).get("metrics").get("misses").asDouble()).isEqualTo(2);
        assertThat(Files.readString(out.resolve(RunOutputs.HISTORY_FILE))).contains("misses=2.00000");
    }

    @Test
    void aResumedLogTellsATestedLineFromTextAndMetricsThatNameTheTestField(@TempDir Path out) throws IOException {
        // a metric and a feedback that hold the name of the field a tested line has: neither makes a line tested
        RunHistory.Evaluation tricky = new RunHistory.Evaluation(EvaluationStatus.OK, -4, Map.of("testStatus", 1.0),
                "\"testStatus\":\"OK\"", "TRAIN", 12, "worker-1", 2, Optional.empty());
        RunHistory.Candidate untested = candidate("run/1", 7, Optional.of("run/1/0"), Optional.of(tricky),
                Optional.empty());
        RunHistory.FailedProposal failed = new RunHistory.FailedProposal("run/1", 8, "run/1/7", "offline", "no code",
                Usage.NONE, false);
        CandidateLog.open(out, "java").append(history(List.of(untested), List.of(failed)));

        RunHistory.Candidate tested = candidate("run/1", 7, Optional.of("run/1/0"), Optional.of(tricky),
                Optional.of(test(-4.5, Map.of())));
        int appended = CandidateLog.open(out, "java").append(history(List.of(tested), List.of(failed)));

        assertThat(appended).as("the test line only").isEqualTo(1);
        assertThat(lines(out)).extracting(l -> l.get("type").asText())
                .containsExactly("candidate", "failed-proposal", "test");
        assertThat(CandidateLog.open(out, "java").append(history(List.of(tested), List.of(failed)))).isZero();
    }
}
