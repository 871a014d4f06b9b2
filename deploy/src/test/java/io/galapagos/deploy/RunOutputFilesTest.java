package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every candidate of an embedded run on disk while it runs, matching the journal, and the summary beside it. */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunOutputFilesTest {

    private static List<JsonNode> lines(Path out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve(CandidateLog.FILE))) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    @Test
    void candidatesAreWrittenWhileTheRunGoesOneLineAndOneFileEachAsTheJournalHoldsThem(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("test.conf");
        Files.writeString(config, "galapagos.worker.slots = 1\ngalapagos.islands.in-flight = 1\n");

        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(() -> galapagos("run", "--task", "noop",
                "--iterations", "30", "--islands", "2", "--seed", "11", "--out", out.toString(),
                "--config", config.toString()));
        await().atMost(Duration.ofMinutes(3)).until(() -> running.isDone() || Files.exists(out.resolve(CandidateLog.FILE)));
        assertThat(running).as("candidates.jsonl appears before the run ends").isNotDone();
        Outcome run = running.get(4, TimeUnit.MINUTES);

        assertThat(run.exitCode()).as(run.err()).isZero();
        RunHistory journal = ResumeCommand.readHistory(out);
        List<JsonNode> candidates = lines(out).stream().filter(l -> l.get("type").asText().equals("candidate")).toList();
        assertThat(candidates).extracting(l -> l.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(journal.evaluated().stream().map(RunHistory.Candidate::candidateId).toList());
        try (var files = Files.list(out.resolve(CandidateLog.DIRECTORY))) {
            assertThat(files.count()).isEqualTo(30);
        }
        for (RunHistory.Candidate c : journal.evaluated()) {
            JsonNode line = candidates.stream().filter(l -> l.get("id").asText().equals(c.candidateId())).findFirst()
                    .orElseThrow();
            assertThat(out.resolve(line.get("file").asText())).hasContent(c.code());
            assertThat(line.get("parent").isNull() ? "" : line.get("parent").asText()).isEqualTo(c.parentId().orElse(""));
            assertThat(line.get("status").asText()).isEqualTo(c.evaluation().orElseThrow().status().name());
            assertThat(line.get("score").asDouble()).isEqualTo(c.evaluation().orElseThrow().score());
            assertThat(line.get("generator").asText()).isEqualTo(c.generator());
        }
        long tested = journal.evaluated().stream().filter(c -> c.test().isPresent()).count();
        assertThat(lines(out).stream().filter(l -> l.has("testScore")).count()).isEqualTo(tested);

        assertThat(run.out()).contains("seed (initial program)").contains("best run/");
        JsonNode summary = new ObjectMapper().readTree(out.resolve(RunComparison.FILE).toFile());
        assertThat(summary.get("programs")).extracting(p -> p.get("program").asText())
                .contains("seed (initial program)").anySatisfy(label -> assertThat(label).startsWith("best run/"));
        Outcome status = galapagos("status", "--out", out.toString());
        assertThat(status.out()).contains("seed (initial program)");
        JsonNode json = new ObjectMapper().readTree(galapagos("status", "--out", out.toString(), "--json").out());
        assertThat(json.get("comparison").get("programs")).isNotEmpty();
        assertThat(json.get("comparison").get("warnings").isArray()).isTrue();
    }
}
