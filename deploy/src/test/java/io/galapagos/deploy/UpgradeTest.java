package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.StoredRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run folders written by earlier releases, committed as they were written (the H2 journal, gzipped, and
 * the folder's settings), are read and resumed by the current code: an upgrade keeps every run.
 */
// integration lane: a resumed search with sandbox child JVMs
@Tag("integration")
@Timeout(300)
class UpgradeTest {

    /**
     * {@code galapagos run --task noop --iterations 24 --islands 2 --seed 11} with snapshots every 8
     * events, written by 0.1.0 at commit 2ec8bed: before finished runs passivated, so sharding still
     * remembers its entities.
     */
    private static final String RUN_0_1_0 = "run-0.1.0-2ec8bed";

    private static Path unpack(String run, Path out) throws IOException {
        Files.createDirectories(out.resolve("journal"));
        try (InputStream gz = resource(run + ".mv.db.gz"); InputStream journal = new GZIPInputStream(gz)) {
            Files.copy(journal, out.resolve("journal").resolve("galapagos.mv.db"));
        }
        try (InputStream conf = resource(run + ".conf")) {
            Files.copy(conf, out.resolve("galapagos.conf"));
        }
        return out;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = UpgradeTest.class.getResourceAsStream("formats/" + name);
        if (in == null) {
            throw new IOException("missing committed run folder part formats/" + name);
        }
        return in;
    }

    @Test
    void aCompletedRunOfAnEarlierReleaseReadsAndResumesToALargerBudget(@TempDir Path dir) throws Exception {
        Path out = unpack(RUN_0_1_0, dir.resolve("out"));

        Outcome before = galapagos("status", "--out", out.toString(), "--json");
        assertThat(before.exitCode()).as(before.err()).isZero();
        JsonNode status = new ObjectMapper().readTree(before.out());
        assertThat(status.get("state").asText()).startsWith("completed");
        assertThat(status.get("evaluated").asLong()).isEqualTo(24);

        Outcome resume = galapagos("resume", "--out", out.toString(), "--iterations", "40", "--no-http");

        assertThat(resume.exitCode()).as(resume.err()).isZero();
        RunHistory history = StoredRun.read(EmbeddedNode.config(out, Optional.empty(), ConfigFactory.empty()),
                RunSession.RUN_ID);
        assertThat(history.completion()).contains("iteration budget spent");
        assertThat(history.evaluated()).hasSize(40);
        assertThat(history.evaluationsPerCandidate().values()).containsOnly(1);
        assertThat(history.inFlight()).isZero();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(41);
    }
}
