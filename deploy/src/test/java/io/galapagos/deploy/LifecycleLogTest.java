package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.ConsoleLog;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The lifecycle lines of an embedded run, written as JSON to its galapagos.log. */
// integration lane: a search on the embedded node
@Tag("integration")
class LifecycleLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunsJsonLogHasOneObjectPerLineAndALifecycleLineForEachEventNamingRunIslandAndNode(@TempDir Path out)
            throws Exception {
        Config config = EmbeddedNode.config(out, Optional.empty(), ConfigFactory.parseMap(Map.of(
                "galapagos.log.format", "json", "galapagos.islands.in-flight", 2)));
        EngineConfig engineConfig = EngineConfig.from(config);
        Task<?> task = TaskRegistry.load().require(NoopTask.ID);
        RunSettings settings = new RunSettings(RunSession.RUN_ID, task.id(), 5, 2, 8,
                Duration.ofHours(1).toMillis(), 0, Optional.empty(), engineConfig.run().cascade(), false,
                Optional.empty(), 1, task.initialProgram().source(), task.featureMetric(), engineConfig.islands());
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        Path file;
        try (ConsoleLog.RunLog log = ConsoleLog.toRunFolder(out, ConsoleLog.Format.of(config));
             EmbeddedNode node = EmbeddedNode.start(config, new InstantEvaluator(2),
                     Evaluators.generators(config))) {
            file = log.file();
            RunSession session = new RunSession(node, out, quiet, quiet);
            session.start(settings);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> session.status().phase() == RunStatus.Phase.COMPLETED);
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line)); // every line is one JSON object
        }
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("timestamp").isNumber()).as(line.toString()).isTrue();
            assertThat(line.path("level").asText()).isNotEmpty();
            assertThat(line.path("loggerName").asText()).isNotEmpty();
            assertThat(line.has("formattedMessage")).isTrue();
        });
        List<JsonNode> lifecycle = lines.stream()
                .filter(line -> line.path("loggerName").asText().equals(LifecycleLog.LOGGER)).toList();
        assertThat(lifecycle).allSatisfy(line -> assertThat(line.path("mdc").path(LifecycleLog.NODE).asText())
                .startsWith("pekko://galapagos@127.0.0.1:"));

        assertThat(event(lifecycle, "run started")).singleElement().satisfies(line -> {
            assertThat(line.path("formattedMessage").asText()).isEqualTo("run started task=noop islands=2 iterations=8");
            assertThat(line.path("mdc").path(LifecycleLog.RUN).asText()).isEqualTo(RunSession.RUN_ID);
            assertThat(line.path("mdc").has(LifecycleLog.ISLAND)).isFalse();
        });
        assertThat(event(lifecycle, "island started")).extracting(line -> line.path("mdc").path(LifecycleLog.ISLAND).asText()
                        + " of " + line.path("mdc").path(LifecycleLog.RUN).asText())
                .containsExactlyInAnyOrder(RunSession.RUN_ID + "/0 of " + RunSession.RUN_ID,
                        RunSession.RUN_ID + "/1 of " + RunSession.RUN_ID);
        assertThat(event(lifecycle, "island finished")).hasSize(2);
        assertThat(event(lifecycle, "dispatcher started")).hasSize(1);
        assertThat(event(lifecycle, "worker joined")).hasSize(1);
        assertThat(event(lifecycle, "budget spent")).singleElement().satisfies(line -> assertThat(
                line.path("formattedMessage").asText()).isEqualTo("budget spent budget=iterations limit=8 evaluated=8"));
        assertThat(event(lifecycle, "run completed")).singleElement().satisfies(line -> {
            assertThat(line.path("formattedMessage").asText()).startsWith("run completed reason=\"iteration budget spent\"");
            assertThat(line.path("level").asText()).isEqualTo("INFO");
            assertThat(line.path("mdc").path(LifecycleLog.RUN).asText()).isEqualTo(RunSession.RUN_ID);
        });
        // the node left when the run ended: its islands' entities stopped, and said so
        assertThat(event(lifecycle, "island entity stopped")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void anUnknownLogFormatNamesTheKeyAndTheChoices() {
        assertThatThrownBy(() -> ConsoleLog.Format.of(ConfigFactory.parseMap(Map.of("galapagos.log.format", "xml"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("galapagos.log.format: unknown log format 'xml' (text or json)");
    }

    @Test
    void aRunWhoseConfigNamesAnUnknownLogFormatIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("xml.conf"), "galapagos.log.format = xml\n");
        CliRun.Outcome outcome = CliRun.galapagos("run", "--task", NoopTask.ID, "--iterations", "4", "--no-http",
                "--out", dir.resolve("out").toString(), "--config", conf.toString());
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip())
                .isEqualTo("galapagos run: galapagos.log.format: unknown log format 'xml' (text or json)");
    }

    private static List<JsonNode> event(List<JsonNode> lines, String event) {
        return lines.stream().filter(line -> {
            String message = line.path("formattedMessage").asText();
            return message.equals(event) || message.startsWith(event + " ");
        }).toList();
    }
}
