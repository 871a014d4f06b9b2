package io.galapagos.deploy.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of the published ADRS data directory (the layout the tasks read with {@code --data-dir}): for each
 * its path in the directory, SHA-256, size and where it comes from in a checkout of the public repository
 * lynnliu030/ADRS. Shipped as {@value #RESOURCE}; {@code galapagos data manifest --data-dir DIR} regenerates it.
 */
public record AdrsManifest(List<Entry> entries) {

    public static final String RESOURCE = "/io/galapagos/deploy/data/adrs-manifest.tsv";

    /** The example code of the case studies inside the public repository. */
    public static final String ADRS = "openevolve/examples/ADRS/";

    /** The single-region simulator's folder; the evaluator's README names the first, older commits the second. */
    private static final List<String> SINGLE_REGION_SIMULATOR =
            List.of(ADRS + "cant-be-late-simulator/", ADRS + "cant-be-late/simulator/");
    private static final List<String> MULTI_REGION_SIMULATOR =
            List.of(ADRS + "cant-be-late-multi/simulator/", ADRS + "cant-be-late-multi-simulator/");
    /** The trace files are identical in every overhead folder of the archive; the evaluator's first one. */
    private static final String SINGLE_REGION_TRACES = "data/real/ddl=search+task=48+overhead=0.02/real/";

    private static final String HEADER = "# target\tsha256\tsize\tkind\tdetail";

    /** One file of the data directory. */
    public record Entry(String target, String sha256, long size, Origin origin) {

        /** The task folder the file belongs to, e.g. {@code cant-be-late}. */
        public String task() {
            int slash = target.indexOf('/');
            return slash < 0 ? "" : target.substring(0, slash);
        }

        /** The file name without its folders. */
        public String name() {
            return target.substring(target.lastIndexOf('/') + 1);
        }
    }

    public AdrsManifest {
        entries = List.copyOf(entries);
    }

    /** The manifest shipped with this build. */
    public static AdrsManifest shipped() {
        try (InputStream in = AdrsManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the data manifest " + RESOURCE + " is missing from the build");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AdrsManifest parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("bad manifest line (want 5 tab-separated fields): " + line);
            }
            entries.add(new Entry(f[0], f[1], Long.parseLong(f[2]), Origin.parse(f[3], f[4])));
        }
        return new AdrsManifest(entries);
    }

    /** The manifest's text: a header line, then one line per file, sorted by target. */
    public String text() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            out.append(e.target()).append('\t').append(e.sha256()).append('\t').append(e.size()).append('\t')
                    .append(e.origin().kind()).append('\t').append(e.origin().detail()).append('\n');
        }
        return out.toString();
    }

    /** The entries grouped by task folder, in manifest order. */
    public Map<String, List<Entry>> byTask() {
        Map<String, List<Entry>> tasks = new LinkedHashMap<>();
        for (Entry e : entries) {
            tasks.computeIfAbsent(e.task(), t -> new ArrayList<>()).add(e);
        }
        return tasks;
    }

    /** A manifest of every data file under {@code dataDir} (its README.md is documentation, not data). */
    public static AdrsManifest generate(Path dataDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String target = dataDir.relativize(file).toString().replace('\\', '/');
                if (!target.contains("/")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                entries.add(new Entry(target, sha256(bytes), bytes.length, origin(target)));
            }
        }
        entries.sort(java.util.Comparator.comparing(Entry::target));
        return new AdrsManifest(entries);
    }

    /** Where a file of the data directory comes from in the public repository (paths read from its evaluators). */
    static Origin origin(String target) {
        String[] p = target.split("/");
        String task = p[0];
        String name = p[p.length - 1];
        switch (task) {
            case "cant-be-late" -> {
                if (p.length == 4 && p[1].equals("traces")) {
                    return new Origin.Copy(under(SINGLE_REGION_SIMULATOR,
                            SINGLE_REGION_TRACES + p[2] + "/traces/random_start/" + p[3]));
                }
                if (p.length == 3 && p[1].equals("base")) {
                    return new Origin.Copy(under(SINGLE_REGION_SIMULATOR, "data/real/ping_based/" + name));
                }
                if (target.equals("cant-be-late/selected_traces.json")) {
                    return new Origin.Derived(Derivations.SELECTED_TRACES);
                }
                if (name.equals("golden_costs_initial_greedy.json")) {
                    return new Origin.Unpublished("per-run costs of the greedy seed, measured by running the original "
                            + "evaluator; needed by CantBeLateFidelityTest");
                }
            }
            case "cant-be-late-multi" -> {
                if (p.length == 4 && p[1].equals("traces")) {
                    return new Origin.Copy(under(MULTI_REGION_SIMULATOR,
                            "data/converted_multi_region_aligned/" + p[2] + "/" + p[3]));
                }
                if (name.equals("golden_seed_runs.json")) {
                    return new Origin.Unpublished("per-run costs of the round-robin seed, measured by running the "
                            + "original evaluator; needed by CantBeLateMultiFidelityTest");
                }
            }
            case "cloudcast" -> {
                if (p.length == 3 && p[1].equals("profiles")) {
                    return new Origin.Copy(List.of(ADRS + "cloudcast/profiles/" + name));
                }
                if (p.length == 3 && p[1].equals("configs")) {
                    return new Origin.Copy(List.of(ADRS + "cloudcast/examples/config/" + name,
                            ADRS + "cloudcast/config/" + name));
                }
                if (name.equals("golden_seed_paths.json")) {
                    return new Origin.Unpublished("the seed's paths, written by running the original evaluator; "
                            + "needed by CloudcastFidelityTest");
                }
            }
            case "txn-scheduling" -> {
                if (p.length == 2 && name.matches("WORKLOAD_[0-9]+\\.json")) {
                    return new Origin.Literal(name.substring(0, name.length() - ".json".length()),
                            ADRS + "txn_scheduling/workloads.py");
                }
            }
            case "prism" -> {
                if (target.equals("prism/test_cases_seed42.json")) {
                    return new Origin.Derived(Derivations.PRISM_CASES);
                }
                if (name.equals("golden_seed_per_case.json")) {
                    return new Origin.Unpublished("the seed's max KVPR per case, measured by running the original "
                            + "evaluator; needed by PrismFidelityTest");
                }
            }
            case "telemetry-repair" -> {
                if (p.length == 2) {
                    return new Origin.Copy(List.of(ADRS + "telemetry_repair/ref_data/" + name,
                            ADRS + "telemetry_repair/" + name));
                }
            }
            case "llm-sql" -> {
                if (p.length == 2) {
                    return new Origin.Copy(List.of(ADRS + "llm_sql/datasets/" + name, "openevolve/data/" + name,
                            ADRS + "llm_sql/" + name));
                }
            }
            default -> {
            }
        }
        return new Origin.Unpublished("no known source in the public repository");
    }

    private static List<String> under(List<String> roots, String path) {
        return roots.stream().map(root -> root + path).toList();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
