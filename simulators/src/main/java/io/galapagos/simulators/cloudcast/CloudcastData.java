package io.galapagos.simulators.cloudcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the published Cloudcast profiles and broadcast configurations. */
public final class CloudcastData {

    /** The original evaluator's configurations, in its order. */
    public static final List<String> CONFIGS = List.of("intra_aws", "intra_azure", "intra_gcp", "inter_agz", "inter_gaz2");

    static final Map<String, Double> DEFAULT_INGRESS_GBPS = Map.of("aws", 10.0, "gcp", 16.0, "azure", 16.0);
    static final Map<String, Double> DEFAULT_EGRESS_GBPS = Map.of("aws", 5.0, "gcp", 7.0, "azure", 16.0);

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int k = 1; k < POWERS_OF_TEN.length; k++) {
            POWERS_OF_TEN[k] = Double.parseDouble("1e" + k);
        }
    }

    private CloudcastData() {
    }

    /**
     * The graph of {@code profiles/throughput.csv} (links in row order, throughput
     * {@code 2 * throughput_sent / 1e9} Gbps) with the prices of {@code profiles/cost.csv}.
     */
    public static CloudGraph readGraph(Path folder) {
        Path throughputFile = folder.resolve("profiles").resolve("throughput.csv");
        Path costFile = folder.resolve("profiles").resolve("cost.csv");
        List<String[]> throughput = csv(throughputFile);
        List<String[]> cost = csv(costFile);
        int src = column(throughput, "src_region", throughputFile);
        int dst = column(throughput, "dst_region", throughputFile);
        int sent = column(throughput, "throughput_sent", throughputFile);
        Map<String, Map<String, Double>> prices = new LinkedHashMap<>();
        int costSrc = column(cost, "src", costFile);
        int costDst = column(cost, "dest", costFile);
        int costValue = column(cost, "cost", costFile);
        for (String[] row : cost.subList(1, cost.size())) {
            prices.computeIfAbsent(row[costSrc], k -> new LinkedHashMap<>()).put(row[costDst], pandasDouble(row[costValue], costFile));
        }
        List<Link> links = new ArrayList<>();
        for (String[] row : throughput.subList(1, throughput.size())) {
            String from = row[src];
            String to = row[dst];
            if (from.equals(to)) {
                continue;
            }
            Double price = prices.getOrDefault(from, Map.of()).get(to);
            if (price == null) {
                throw new WorkloadException(costFile + ": no cost for the link " + from + " -> " + to);
            }
            links.add(new Link(from, to, price, (BroadcastSimulator.VMS_PER_REGION * pandasDouble(row[sent], throughputFile)) / 1e9));
        }
        return CloudGraph.of(links);
    }

    /** A configuration file {@code configs/<name>.json}, limits scaled to two VMs per region. */
    public static BroadcastRequest readConfig(Path folder, String name) {
        Path file = folder.resolve("configs").resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing broadcast configuration " + file);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            List<String> destinations = new ArrayList<>();
            root.path("dest_nodes").forEach(n -> destinations.add(n.asText()));
            if (!root.path("source_node").isTextual() || destinations.isEmpty() || !root.path("num_partitions").canConvertToInt()) {
                throw new WorkloadException(file + ": needs source_node, dest_nodes and num_partitions");
            }
            return new BroadcastRequest(name, root.get("source_node").asText(), destinations,
                    root.path("data_vol").asDouble(), root.get("num_partitions").asInt(),
                    limits(DEFAULT_INGRESS_GBPS, root.path("ingress_limit")), limits(DEFAULT_EGRESS_GBPS, root.path("egress_limit")));
        } catch (IOException e) {
            throw new WorkloadException(file + ": " + e.getMessage(), e);
        }
    }

    /** Defaults, overridden per provider by {@code VMS_PER_REGION * configured}. */
    static Map<String, Double> limits(Map<String, Double> defaults, JsonNode configured) {
        Map<String, Double> limits = new LinkedHashMap<>(defaults);
        configured.fields().forEachRemaining(e -> limits.put(e.getKey(), BroadcastSimulator.VMS_PER_REGION * e.getValue().asDouble()));
        return limits;
    }

    /**
     * pandas' default ("high precision") float parser for plain decimals: at most 17 digits
     * accumulated as {@code n * 10 + d}, then one multiplication or division by a power of ten. It is
     * not correctly rounded, and the published costs depend on reproducing it.
     */
    static double pandasDouble(String text, Path file) {
        double number = 0.0;
        int digits = 0;
        int exponent = 0;
        int i = 0;
        int n = text.length();
        boolean any = false;
        for (; i < n && Character.isDigit(text.charAt(i)); i++) {
            any = true;
            if (digits < 17) {
                number = number * 10.0 + (text.charAt(i) - '0');
                digits++;
            } else {
                exponent++;
            }
        }
        if (i < n && text.charAt(i) == '.') {
            i++;
            for (; i < n && Character.isDigit(text.charAt(i)); i++) {
                any = true;
                if (digits < 17) {
                    number = number * 10.0 + (text.charAt(i) - '0');
                    digits++;
                    exponent--;
                }
            }
        }
        if (!any || i != n || Math.abs(exponent) >= POWERS_OF_TEN.length) {
            throw new WorkloadException(file + ": '" + text + "' is not a plain decimal number");
        }
        return exponent > 0 ? number * POWERS_OF_TEN[exponent] : number / POWERS_OF_TEN[-exponent];
    }

    private static List<String[]> csv(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WorkloadException("missing profile " + file);
        }
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(line.strip().split(",", -1));
                }
            }
            if (rows.size() < 2) {
                throw new WorkloadException(file + ": no data rows");
            }
            return rows;
        } catch (IOException e) {
            throw new WorkloadException(file + ": " + e.getMessage(), e);
        }
    }

    private static int column(List<String[]> rows, String name, Path file) {
        int index = Arrays.asList(rows.get(0)).indexOf(name);
        if (index < 0) {
            throw new WorkloadException(file + ": no column " + name);
        }
        for (String[] row : rows) {
            if (row.length <= index) {
                throw new WorkloadException(file + ": a row has too few columns: " + String.join(",", row));
            }
        }
        return index;
    }
}
