package io.galapagos.simulators.cloudcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.galapagos.simulators.SplitMix64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeded synthetic multi-cloud networks and broadcasts. Prices follow the public price structure
 * the published profiles show: traffic inside a provider is cheap (a few cents per GB, less within a
 * continent), leaving a provider costs internet egress (8-19 cents, more from Asia, Oceania and South
 * America); throughput is highest inside a provider and a continent and falls with distance.
 */
public final class CloudcastGenerator {

    /** Regions per provider with their continent, shaped like the published profiles (a subset). */
    private static final Map<String, List<String[]>> REGIONS = new LinkedHashMap<>();

    static {
        REGIONS.put("aws", regions("us-east-1:na", "us-west-2:na", "eu-west-1:eu", "eu-central-1:eu", "ap-northeast-1:as",
                "ap-southeast-1:as", "ap-south-1:as", "ap-southeast-2:oc", "sa-east-1:sa"));
        REGIONS.put("gcp", regions("us-central1-a:na", "us-east1-b:na", "europe-west1-b:eu", "europe-north1-a:eu",
                "asia-east1-a:as", "asia-south1-a:as", "asia-northeast1-a:as", "australia-southeast1-a:oc", "southamerica-east1-a:sa"));
        REGIONS.put("azure", regions("eastus:na", "westus:na", "westeurope:eu", "northeurope:eu", "japaneast:as",
                "centralindia:as", "koreacentral:as", "australiaeast:oc", "brazilsouth:sa"));
    }

    private static List<String[]> regions(String... specs) {
        List<String[]> list = new ArrayList<>();
        for (String spec : specs) {
            list.add(spec.split(":"));
        }
        return list;
    }

    private static final double[] INTRA_SAME_CONTINENT = {0.01, 0.02};
    private static final double[] INTRA_OTHER_CONTINENT = {0.02, 0.04, 0.05, 0.07};
    private static final double[] INTERNET_CHEAP = {0.08, 0.09, 0.12};
    private static final double[] INTERNET_EXPENSIVE = {0.11, 0.12, 0.14, 0.15, 0.19};

    private CloudcastGenerator() {
    }

    /** A complete directed graph over 27 regions of three providers. */
    public static CloudGraph graph(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<String> names = new ArrayList<>();
        Map<String, String> continent = new LinkedHashMap<>();
        REGIONS.forEach((provider, list) -> list.forEach(r -> {
            String node = provider + ":" + r[0];
            names.add(node);
            continent.put(node, r[1]);
        }));
        List<Link> links = new ArrayList<>();
        for (String from : names) {
            for (String to : names) {
                if (from.equals(to)) {
                    continue;
                }
                boolean sameProvider = CloudGraph.provider(from).equals(CloudGraph.provider(to));
                boolean sameContinent = continent.get(from).equals(continent.get(to));
                boolean expensiveSource = !continent.get(from).equals("na") && !continent.get(from).equals("eu");
                double cost = sameProvider
                        ? pick(rng, sameContinent ? INTRA_SAME_CONTINENT : INTRA_OTHER_CONTINENT)
                        : pick(rng, expensiveSource ? INTERNET_EXPENSIVE : INTERNET_CHEAP);
                double low = sameContinent ? (sameProvider ? 9 : 5) : (sameProvider ? 2.5 : 1);
                double high = sameContinent ? (sameProvider ? 14 : 10) : (sameProvider ? 7 : 4);
                double throughput = Math.round((low + (high - low) * rng.nextDouble()) * 1000) / 1000.0;
                links.add(new Link(from, to, cost, throughput));
            }
        }
        return CloudGraph.of(links);
    }

    private static double pick(SplitMix64 rng, double[] values) {
        return values[rng.below(values.length)];
    }

    /**
     * Five broadcasts shaped like the published configurations: one inside each provider (six
     * destinations) and two from a GCP region to regions of all providers (six and seven).
     */
    public static List<BroadcastRequest> requests(CloudGraph graph, long seed, String prefix) {
        SplitMix64 rng = new SplitMix64(seed);
        List<BroadcastRequest> requests = new ArrayList<>();
        for (String provider : List.of("aws", "azure", "gcp")) {
            List<String> pool = graph.nodes().stream().filter(n -> CloudGraph.provider(n).equals(provider)).toList();
            requests.add(request(prefix + "intra_" + provider, pool, pool, 6, rng));
        }
        List<String> gcp = graph.nodes().stream().filter(n -> CloudGraph.provider(n).equals("gcp")).toList();
        requests.add(request(prefix + "inter_agz", gcp, graph.nodes(), 6, rng));
        requests.add(request(prefix + "inter_gaz2", gcp, graph.nodes(), 7, rng));
        return requests;
    }

    private static BroadcastRequest request(String name, List<String> sources, List<String> targets, int count, SplitMix64 rng) {
        String source = sources.get(rng.below(sources.size()));
        List<String> pool = new ArrayList<>(targets);
        pool.remove(source);
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < count && !pool.isEmpty(); i++) {
            destinations.add(pool.remove(rng.below(pool.size())));
        }
        return new BroadcastRequest(name, source, destinations, 300, 10,
                CloudcastData.limits(CloudcastData.DEFAULT_INGRESS_GBPS, PUBLISHED_INGRESS),
                CloudcastData.limits(CloudcastData.DEFAULT_EGRESS_GBPS, PUBLISHED_EGRESS));
    }

    /** The per-VM limits every published configuration lists. */
    private static final JsonNode PUBLISHED_INGRESS = limitsNode(10, 16, 16);
    private static final JsonNode PUBLISHED_EGRESS = limitsNode(5, 7, 16);

    private static JsonNode limitsNode(int aws, int gcp, int azure) {
        return JsonNodeFactory.instance.objectNode()
                .put("aws", aws).put("gcp", gcp).put("azure", azure);
    }
}
