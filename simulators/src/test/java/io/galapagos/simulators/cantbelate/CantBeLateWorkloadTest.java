package io.galapagos.simulators.cantbelate;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading the workloads from a data directory laid out like the published data. */
class CantBeLateWorkloadTest {

    @TempDir
    Path dir;

    @Test
    void trainUsesTheSelectedTracesAndTestThirtyOthersPickedEvenlyByNumber() {
        SingleRegionWorkload workload = SingleRegionWorkload.load(AdrsData.source());
        Map<String, List<String>> train = workload.traceNames(Split.TRAIN);
        Map<String, List<String>> test = workload.traceNames(Split.TEST);

        assertThat(train.keySet()).containsExactlyElementsOf(SingleRegionWorkload.ENVS);
        for (String env : SingleRegionWorkload.ENVS) {
            assertThat(train.get(env)).hasSize(30).startsWith("0.json", "107.json").endsWith("99.json");
            assertThat(test.get(env)).hasSize(30).doesNotHaveDuplicates().doesNotContainAnyElementsOf(train.get(env));
            // the 270 unused files sorted by number; the first and the last are taken
            assertThat(test.get(env)).startsWith("1.json").endsWith("299.json");
        }
        assertThat(workload.runs(Split.TEST)).hasSize(1080);
        assertThat(workload.runs(Split.TRAIN)).hasSize(1080);
        assertThat(workload.runs(Split.SMOKE)).hasSize(8);
    }

    @Test
    void smallDirectoryWorksAndTakesEveryUnusedTraceForTest() throws IOException {
        writeSingleRegion(List.of("0.json"), 3);

        CantBeLateTask task = new CantBeLateTask();
        var evaluator = task.evaluator(DataSource.directory(dir));

        assertThat(evaluator.runCount(Split.TRAIN)).isEqualTo(4 * 9);
        assertThat(evaluator.runCount(Split.TEST)).isEqualTo(4 * 2 * 9);
        var report = evaluator.evaluate(ShippedCandidates.baseline(task, "initial"), Split.TEST);
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.runs().stream().map(r -> (String) r.get("trace")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("1.json", "2.json");
    }

    @Test
    void missingTaskFolderIsNamed() {
        assertThatThrownBy(() -> new CantBeLateTask().evaluator(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("has no 'cant-be-late' folder");
        assertThatThrownBy(() -> new CantBeLateMultiTask().evaluator(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("has no 'cant-be-late-multi' folder");
    }

    @Test
    void missingSelectionAndMissingTraceFilesAreNamed() throws IOException {
        Files.createDirectories(dir.resolve("cant-be-late"));
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("missing workload file").hasMessageContaining("selected_traces.json");

        writeSingleRegion(List.of("0.json", "5.json"), 2);
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("missing workload file")
                .hasMessageContaining("traces/us-west-2a_k80_1/5.json");
    }

    @Test
    void malformedTraceFilesAreNamedWithTheProblem() throws IOException {
        writeSingleRegion(List.of("0.json"), 2);
        Path trace = dir.resolve("cant-be-late/traces/us-west-2b_k80_1/0.json");

        Files.writeString(trace, "{\"metadata\": {\"gap_seconds\": 600}, \"data\": [0, 1, \"x\"]}");
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining(trace.toString()).hasMessageContaining("data[2] is \"x\", not an integer");

        Files.writeString(trace, "{\"metadata\": {}, \"data\": [0]}");
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .hasMessageContaining("metadata.gap_seconds must be a positive integer");

        Files.writeString(trace, "{\"metadata\": {\"gap_seconds\": 600}, \"data\": [0, 1");
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .hasMessageContaining("is not valid JSON");

        Files.writeString(dir.resolve("cant-be-late/selected_traces.json"), "{\"us-west-2a_k80_1\": [\"a.txt\"]}");
        assertThatThrownBy(() -> SingleRegionWorkload.load(DataSource.directory(dir)))
                .hasMessageContaining("lists \"a.txt\", expected a file name like \"17.json\"");
    }

    @Test
    void missingMultiRegionTraceIsNamed() throws IOException {
        Path region = Files.createDirectories(dir.resolve("cant-be-late-multi/traces/us-east-1a_v100_1"));
        Files.writeString(region.resolve("0.json"), "{\"metadata\": {\"gap_seconds\": 195}, \"data\": [0], \"prices\": [1.5]}");

        assertThatThrownBy(() -> new CantBeLateMultiTask().evaluator(DataSource.directory(dir)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("missing workload file")
                .hasMessageContaining("us-east-1c_v100_1/0.json");
    }

    @Test
    void pricesOfAMultiRegionTraceMustStartWithANumber() throws IOException {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "{\"metadata\": {\"gap_seconds\": 195}, \"data\": [0, 1], \"prices\": []}");
        assertThatThrownBy(() -> TraceFiles.read(file, "t"))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("'prices' must be an array whose first element is a price");

        Files.writeString(file, "{\"metadata\": {\"gap_seconds\": 195}, \"data\": [0, 1, 0], \"prices\": [1.25, 9]}");
        SpotTrace trace = TraceFiles.read(file, "t");
        assertThat(trace.spotPricePerHour()).isEqualTo(1.25);
        assertThat(trace.availability()).containsExactly(true, false, true);
        assertThat(trace.availableAt(3)).isFalse();
    }

    /** Every env gets traces 0..count-1 (spot always available); {@code selected} is the TRAIN selection. */
    private void writeSingleRegion(List<String> selected, int count) throws IOException {
        Path task = Files.createDirectories(dir.resolve("cant-be-late"));
        String names = selected.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
        Files.writeString(task.resolve("selected_traces.json"), SingleRegionWorkload.ENVS.stream()
                .map(env -> "\"" + env + "\": [" + names + "]").collect(Collectors.joining(", ", "{", "}")));
        String data = "0, ".repeat(553) + "0";
        for (String env : SingleRegionWorkload.ENVS) {
            Path envDir = Files.createDirectories(task.resolve("traces").resolve(env));
            for (int i = 0; i < count; i++) {
                Files.writeString(envDir.resolve(i + ".json"),
                        "{\"metadata\": {\"gap_seconds\": 600}, \"data\": [" + data + "]}");
            }
        }
    }
}
