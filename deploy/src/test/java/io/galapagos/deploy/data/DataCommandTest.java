package io.galapagos.deploy.data;

import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.data.AdrsManifest.Entry;
import io.galapagos.simulators.AdrsData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code galapagos data import} from a fake checkout of the public repository, laid out in a temporary folder from
 * the published data (each file at its public-repository path), and {@code galapagos data verify}. Without the
 * published data these tests skip locally and fail under CI.
 */
// integration lane: slow, imports and verifies the published data
@Tag("integration")
@Timeout(300)
class DataCommandTest {

    private static final AdrsManifest MANIFEST = AdrsManifest.shipped();

    /** A checkout holding every published file at the first path the manifest names, workloads as a .py file. */
    static Path fakeCheckout(Path dir) throws IOException {
        Path data = AdrsData.root();
        Map<Path, StringBuilder> literals = new LinkedHashMap<>();
        for (Entry e : MANIFEST.entries()) {
            if (e.origin() instanceof Origin.Copy copy) {
                Path to = dir.resolve(copy.sources().get(0));
                Files.createDirectories(to.getParent());
                Files.copy(data.resolve(e.target()), to);
            } else if (e.origin() instanceof Origin.Literal literal) {
                literals.computeIfAbsent(dir.resolve(literal.source()), f -> new StringBuilder("import json\n\n"))
                        .append(literal.name()).append(" = '")
                        .append(Files.readString(data.resolve(e.target()), StandardCharsets.UTF_8)).append("'\n\n");
            }
        }
        for (Map.Entry<Path, StringBuilder> file : literals.entrySet()) {
            Files.createDirectories(file.getKey().getParent());
            Files.writeString(file.getKey(), file.getValue());
        }
        return dir;
    }

    @Test
    void importFromACheckoutLaysOutADirectoryThatVerifies(@TempDir Path tmp) throws IOException {
        Path checkout = fakeCheckout(tmp.resolve("ADRS"));
        Path target = tmp.resolve("data");

        Outcome imported = galapagos("data", "import", "--from", checkout.toString(), "--to", target.toString());

        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("cant-be-late: 1206 imported, 0 missing, 0 mismatched",
                "txn-scheduling: 3 imported, 0 missing, 0 mismatched",
                "prism: 1 imported, 0 missing, 0 mismatched",
                "golden_costs_initial_greedy.json (per-run costs of the greedy seed",
                "needed by CantBeLateFidelityTest");
        // derived from the evaluators' rules, byte for byte
        assertThat(target.resolve("cant-be-late/selected_traces.json"))
                .hasSameBinaryContentAs(AdrsData.root().resolve("cant-be-late/selected_traces.json"));
        assertThat(target.resolve("prism/test_cases_seed42.json"))
                .hasSameBinaryContentAs(AdrsData.root().resolve("prism/test_cases_seed42.json"));
        assertThat(target.resolve("cant-be-late/golden_costs_initial_greedy.json")).doesNotExist();

        Outcome verified = galapagos("data", "verify", "--data-dir", target.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("llm-sql: 1 verified, 0 missing, 0 mismatched");
    }

    @Test
    void tracesPackedInTheSimulatorsArchiveImportWithoutUnpacking(@TempDir Path tmp) throws IOException {
        Path checkout = fakeCheckout(tmp.resolve("ADRS"));
        // the public repository ships the single-region traces as <simulator>/real_traces.tar.gz of data/
        Path simulator = checkout.resolve(AdrsManifest.ADRS + "cant-be-late-simulator");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(simulator.resolve("real_traces.tar.gz")))) {
            Tar.write(simulator.resolve("data"), out);
        }
        deleteTree(simulator.resolve("data"));
        Path target = tmp.resolve("data");

        Outcome imported = galapagos("data", "import", "--from", checkout.toString(), "--to", target.toString());

        assertThat(imported.exitCode()).as(imported.out()).isZero();
        assertThat(imported.out()).contains("cant-be-late: 1206 imported, 0 missing, 0 mismatched");
    }

    @Test
    void aCorruptedFileIsNamedAndTheImportExitsOne(@TempDir Path tmp) throws IOException {
        Path checkout = fakeCheckout(tmp.resolve("ADRS"));
        Path topology = checkout.resolve(AdrsManifest.ADRS + "telemetry_repair/ref_data/topology.json");
        Files.writeString(topology, Files.readString(topology).replace("abilene", "abilenE"));
        Files.delete(checkout.resolve(AdrsManifest.ADRS + "cloudcast/profiles/cost.csv"));
        Path target = tmp.resolve("data");

        Outcome imported = galapagos("data", "import", "--from", checkout.toString(), "--to", target.toString());

        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.out()).contains("telemetry-repair: 2 imported, 0 missing, 1 mismatched",
                "  mismatched telemetry-repair/topology.json: ",
                "cloudcast: 6 imported, 1 missing, 0 mismatched",
                "  missing cloudcast/profiles/cost.csv: not in the checkout at " + AdrsManifest.ADRS + "cloudcast/profiles/cost.csv",
                "incomplete: 1 missing, 1 mismatched");
        assertThat(target.resolve("telemetry-repair/topology.json")).as("a mismatching file is not written").doesNotExist();

        // verify names a file damaged after the import
        Path beer = target.resolve("llm-sql/beer.csv");
        Files.writeString(beer, "x", java.nio.file.StandardOpenOption.APPEND);
        Outcome verified = galapagos("data", "verify", "--data-dir", target.toString());
        assertThat(verified.exitCode()).isEqualTo(1);
        assertThat(verified.out()).contains("  mismatched llm-sql/beer.csv: SHA-256 ");
    }

    @Test
    void aFromThatIsNotACheckoutIsOneLineAndExitTwo(@TempDir Path tmp) throws IOException {
        Outcome missing = galapagos("data", "import", "--from", tmp.resolve("nowhere").toString(), "--to", tmp.resolve("d").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().lines()).singleElement().asString()
                .contains("--from " + tmp.resolve("nowhere") + " is not a directory", "git clone https://github.com/lynnliu030/ADRS");

        Outcome notCheckout = galapagos("data", "import", "--from", tmp.toString(), "--to", tmp.resolve("d").toString());
        assertThat(notCheckout.exitCode()).isEqualTo(2);
        assertThat(notCheckout.err().lines()).singleElement().asString()
                .contains("is not a checkout of lynnliu030/ADRS (it has no openevolve/examples/ADRS/)");
        assertThat(tmp.resolve("d")).doesNotExist();

        Outcome noFrom = galapagos("data", "import");
        assertThat(noFrom.exitCode()).isEqualTo(2);
        assertThat(noFrom.err().lines()).singleElement().asString().contains("--from");

        Outcome noDir = galapagos("data", "verify", "--data-dir", tmp.resolve("nowhere").toString());
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err().lines()).singleElement().asString().contains("galapagos data import --from");
    }

    @Test
    void thePublishedDataVerifies() {
        Outcome verified = galapagos("data", "verify", "--data-dir", AdrsData.root().toString());

        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("txn-scheduling: 3 verified, 0 missing, 0 mismatched", "files present and verified");
    }

    @Test
    void theShippedManifestIsTheGeneratorsOutputForThePublishedData() throws IOException {
        // regenerate with: ./galapagos data manifest --data-dir ../shared/adrs-data > deploy/src/main/resources/io/galapagos/deploy/data/adrs-manifest.tsv
        AdrsManifest generated = AdrsManifest.generate(AdrsData.root());
        List<Entry> shipped = MANIFEST.entries();
        assertThat(shipped).containsAll(generated.entries());
        assertThat(shipped.stream().filter(e -> !generated.entries().contains(e)))
                .as("files of the manifest the data directory lacks: only those not in the public repository")
                .allMatch(e -> e.origin() instanceof Origin.Unpublished);
        assertThat(AdrsManifest.parse(MANIFEST.text())).isEqualTo(MANIFEST);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A minimal ustar writer (regular files, names under 100 bytes) for the archive the simulators ship. */
    static final class Tar {

        static void write(Path root, OutputStream out) throws IOException {
            try (var files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] data = Files.readAllBytes(file);
                    out.write(header("./" + root.relativize(file).toString().replace('\\', '/'), data.length));
                    out.write(data);
                    out.write(new byte[(int) ((512 - data.length % 512) % 512)]);
                }
            }
            out.write(new byte[1024]);
        }

        private static byte[] header(String name, long size) {
            byte[] h = new byte[512];
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            if (n.length > 100) {
                throw new IllegalArgumentException("name too long for this writer: " + name);
            }
            System.arraycopy(n, 0, h, 0, n.length);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", size));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            return h;
        }

        private static void put(byte[] h, int at, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, at, b.length);
        }
    }
}
