package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Fixtures;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.IslandReport;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.store.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a resume reads of a run before it starts its node: the run's settings, budget extensions, stops and
 * elapsed time as the whole journal gives them, without the progress reports a long run journals by the thousand.
 */
@Timeout(60)
class StoredRunResumeTest {

    private static final RunSettings SETTINGS = Fixtures.runSettings(2, 100, 2);

    private static Run.ProgressRecorded progress(int island, long evaluated, long elapsedMillis) {
        return new Run.ProgressRecorded(new IslandReport(island, evaluated, evaluated, 0, Map.of(), 1, Optional.empty(),
                false, Map.of(), ""), elapsedMillis);
    }

    /** A journal holding {@code events} of the run {@code r1}, written as Pekko's binding writes them. */
    private static Config journal(Path dir, List<Run.Event> events) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false";
        Schema.install(url, "sa", "");
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO event_journal (persistence_id,"
                     + " sequence_number, writer, write_timestamp, adapter_manifest, event_payload, event_ser_id,"
                     + " event_ser_manifest) VALUES (?, ?, 'w', ?, '', ?, 33, ?)")) {
            long sequence = 0;
            for (Run.Event event : events) {
                sequence++;
                insert.setString(1, Run.ENTITY_TYPE + "|" + SETTINGS.runId());
                insert.setLong(2, sequence);
                insert.setLong(3, 1_000 + sequence);
                insert.setBytes(4, StoredRun.JOURNAL_MAPPER.writeValueAsBytes(event));
                // a class with migrations carries its version after '#'
                insert.setString(5, event.getClass().getName() + (sequence % 3 == 0 ? "#2" : ""));
                insert.executeUpdate();
            }
        }
        return ConfigFactory.parseMap(Map.of("galapagos.store.url", url, "galapagos.store.user", "sa",
                "galapagos.store.password", ""));
    }

    @Test
    void aResumeReadsWhatTheWholeJournalSaysOfTheRunWithoutItsProgressReports(@TempDir Path dir) throws Exception {
        List<Run.Event> events = new ArrayList<>();
        events.add(new Run.RunStarted(SETTINGS, 1_700_000_000_000L, 0));
        for (int i = 1; i <= 300; i++) {
            events.add(i % 50 == 0 ? new Run.ClockAdvanced(i * 10L) : progress(i % 2, i, i * 10L));
        }
        events.add(new Run.RunStopped("stopped by the operator", 3_005));
        events.add(new Run.RunCompleted("stopped by the operator", 3_006));
        events.add(new Run.BudgetExtended(200, 0, 3_007));
        for (int i = 301; i <= 600; i++) {
            events.add(progress(i % 2, i, i * 10L));
        }
        Config config = journal(dir, events);

        RunHistory whole = StoredRun.read(config, SETTINGS.runId());
        RunHistory resumed;
        try (StoredRun.HeldJournal held = StoredRun.holdRun(config, SETTINGS.runId())) {
            resumed = held.history();
        }

        assertThat(resumed.settings()).isEqualTo(whole.settings());
        assertThat(resumed.settings().orElseThrow().iterations()).isEqualTo(200);
        assertThat(resumed.elapsedMillis()).isEqualTo(whole.elapsedMillis()).isEqualTo(6_000);
        assertThat(resumed.phase()).isEqualTo(whole.phase());
        assertThat(resumed.completion()).isEqualTo(whole.completion()).isEmpty();
        assertThat(resumed.startedAtMillis()).isEqualTo(whole.startedAtMillis());
        // the run's own events and its last one, not the 600 reports and ticks between them
        assertThat(resumed.runEvents()).hasSize(5);
        assertThat(resumed.runEvents().get(4)).isEqualTo(events.get(events.size() - 1));
    }

    @Test
    void aRunWhoseLastEventIsItsCompletionReadsAsCompleted(@TempDir Path dir) throws Exception {
        List<Run.Event> events = new ArrayList<>();
        events.add(new Run.RunStarted(SETTINGS, 1_700_000_000_000L, 0));
        for (int i = 1; i <= 40; i++) {
            events.add(progress(i % 2, i, i * 10L));
        }
        events.add(new Run.RunCompleted("iteration budget spent", 401));
        Config config = journal(dir, events);

        try (StoredRun.HeldJournal held = StoredRun.holdRun(config, SETTINGS.runId())) {
            RunHistory whole = StoredRun.read(config, SETTINGS.runId());
            assertThat(held.history().completion()).isEqualTo(whole.completion()).contains("iteration budget spent");
            assertThat(held.history().elapsedMillis()).isEqualTo(whole.elapsedMillis()).isEqualTo(401);
            assertThat(held.history().runEvents()).hasSize(2);
        }
    }
}
