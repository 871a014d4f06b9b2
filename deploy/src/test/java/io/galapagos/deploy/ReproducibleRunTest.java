package io.galapagos.deploy;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.engine.RunSession;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same seed, same run: one seeded run on the embedded node, twice, with one sandbox slot and with three
 * (so results come back in other orders), gives the same history byte for byte.
 */
// integration lane: searches with sandbox child JVMs
@Tag("integration")
@Timeout(600)
class ReproducibleRunTest {

    @Test
    void theSameSeedGivesTheSameHistoryWithOneWorkerSlotOrThree(@TempDir Path dir) throws Exception {
        Path oneSlot = run(dir, "one-slot", 1);
        Path threeSlots = run(dir, "three-slots", 3);

        String first = canonicalHistory(oneSlot);
        String second = canonicalHistory(threeSlots);

        assertThat(first).contains("candidate run/0/0 ").contains("migrants run/1 <- run/0 epoch 1 ")
                .contains("best run/2/");
        assertThat(first.lines().filter(l -> l.startsWith("candidate ") && !l.contains(" status - ")).count())
                .isEqualTo(90);
        assertThat(second).isEqualTo(first);
    }

    private static Path run(Path dir, String name, int slots) throws Exception {
        Path out = dir.resolve(name);
        Path config = dir.resolve(name + ".conf");
        // several results in flight per island and frequent migration: every place where timing could leak
        Files.writeString(config, String.join("\n", "galapagos.worker.slots = " + slots,
                "galapagos.islands.in-flight = 3", "galapagos.islands.migration-interval = 5",
                "galapagos.islands.migration-rate = 2", ""));
        Outcome outcome = galapagos("run", "--task", "cant-be-late", "--iterations", "90", "--islands", "3",
                "--seed", "11", "--out", out.toString(), "--config", config.toString());
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        return out;
    }

    /**
     * The decisions of a run, without what depends on the machine (times, worker names, isolation) or
     * on arrival order (journal order across candidates): every candidate in island and sequence order
     * with its parent, generator, code hash and outcome; failed proposals; migrants; best changes.
     */
    static String canonicalHistory(Path outDir) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "canonical-history",
                ResumeCommand.storedRunConfig(outDir.toAbsolutePath(), ConfigFactory.parseString(
                        "pekko.actor.provider = local\npekko.loglevel = ERROR")));
        try {
            JdbcReadJournal journal = PersistenceQuery.get(system)
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            RunSettings settings = events(system, journal, Run.TYPE_KEY.name() + "|" + RunSession.RUN_ID).stream()
                    .filter(e -> e instanceof Run.RunStarted).map(e -> ((Run.RunStarted) e).settings())
                    .findFirst().orElseThrow();
            StringBuilder text = new StringBuilder();
            for (int n = 0; n < settings.islands(); n++) {
                String island = settings.islandId(n);
                Map<Long, String> proposals = new TreeMap<>();
                Map<String, String> outcomes = new TreeMap<>();
                Map<String, String> tests = new TreeMap<>();
                Map<Integer, String> migrants = new TreeMap<>();
                List<String> bests = new ArrayList<>();
                for (Object event : events(system, journal, Island.TYPE_KEY.name() + "|" + island)) {
                    if (event instanceof Island.CandidateProposed e) {
                        proposals.put(e.sequence(), "candidate " + e.candidateId() + " parent "
                                + e.parentId().orElse("-") + " generator " + e.generator() + " code " + sha256(e.code()));
                    } else if (event instanceof Island.ProposalFailed e) {
                        proposals.put(e.sequence(), "failed-proposal " + island + "/" + e.sequence() + " parent "
                                + e.parentId() + " generator " + e.generator() + " reason " + e.reason());
                    } else if (event instanceof Island.CandidateEvaluated e) {
                        outcomes.put(e.candidateId(), " status " + e.status() + " score " + number(e.score())
                                + " metrics " + metrics(e.metrics()));
                    } else if (event instanceof Island.TestEvaluated e) {
                        tests.put(e.candidateId(), " test " + e.status() + " " + number(e.score()));
                    } else if (event instanceof Island.MigrantsArrived e) {
                        migrants.put(e.epoch(), "migrants " + island + " <- " + e.fromIsland() + " epoch " + e.epoch()
                                + " " + e.programs().stream().map(p -> p.candidateId()).toList());
                    } else if (event instanceof Island.UpstreamEnded e) {
                        migrants.merge(e.epoch(), "upstream " + e.fromIsland() + " ended at epoch " + e.epoch(),
                                (a, b) -> a + "; " + b);
                    } else if (event instanceof Island.BestChanged e) {
                        bests.add("best " + e.candidateId() + " " + number(e.score()));
                    }
                }
                for (String proposal : proposals.values()) {
                    text.append(proposal);
                    if (proposal.startsWith("candidate ")) {
                        String id = proposal.split(" ")[1];
                        text.append(outcomes.getOrDefault(id, " status - ")).append(tests.getOrDefault(id, ""));
                    }
                    text.append('\n');
                }
                migrants.values().forEach(m -> text.append(m).append('\n'));
                bests.forEach(b -> text.append(b).append('\n'));
            }
            return text.toString();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Object> events(ActorSystem<Void> system, JdbcReadJournal journal, String persistenceId)
            throws Exception {
        return journal.currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE).runWith(Sink.seq(), system)
                .toCompletableFuture().get(2, TimeUnit.MINUTES).stream().map(EventEnvelope::event).toList();
    }

    private static String metrics(Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(metrics).forEach((k, v) -> text.append(k).append('=').append(number(v)).append(' '));
        return text.toString().trim();
    }

    /** Exact (the shortest text that reads back as the same double), not a rounding that could hide a difference. */
    private static String number(double value) {
        return Double.toString(value);
    }

    private static String sha256(String code) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }
}
