package io.galapagos.simulators.cloudcast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The multi-cloud network: regions (nodes, {@code provider:region}) and the directed links between
 * them, both in a stable order (regions by first appearance in the profiles, links of a region in
 * profile row order). Immutable.
 */
public final class CloudGraph {

    private final List<String> nodes;
    private final Map<String, Map<String, Link>> out;

    private CloudGraph(List<String> nodes, Map<String, Map<String, Link>> out) {
        this.nodes = nodes;
        this.out = out;
    }

    /** Builds a graph from links in order; a later link between the same pair replaces the earlier in place. */
    public static CloudGraph of(List<Link> links) {
        Map<String, Map<String, Link>> out = new LinkedHashMap<>();
        List<String> nodes = new ArrayList<>();
        for (Link link : links) {
            if (link.from().equals(link.to())) {
                continue;
            }
            for (String node : List.of(link.from(), link.to())) {
                if (!out.containsKey(node)) {
                    out.put(node, new LinkedHashMap<>());
                    nodes.add(node);
                }
            }
            out.get(link.from()).put(link.to(), link);
        }
        Map<String, Map<String, Link>> frozen = new LinkedHashMap<>();
        out.forEach((node, adjacency) -> frozen.put(node, Collections.unmodifiableMap(new LinkedHashMap<>(adjacency))));
        return new CloudGraph(List.copyOf(nodes), Collections.unmodifiableMap(frozen));
    }

    /** The cloud provider of a node: the part before the first ':' ({@code aws}, {@code gcp}, {@code azure}). */
    public static String provider(String node) {
        int colon = node.indexOf(':');
        return colon < 0 ? node : node.substring(0, colon);
    }

    public List<String> nodes() {
        return nodes;
    }

    public boolean contains(String node) {
        return out.containsKey(node);
    }

    /** Links leaving {@code node}, in profile order; empty for an unknown node. */
    public List<Link> links(String node) {
        Map<String, Link> adjacency = out.get(node);
        return adjacency == null ? List.of() : List.copyOf(adjacency.values());
    }

    public Optional<Link> link(String from, String to) {
        Map<String, Link> adjacency = out.get(from);
        return adjacency == null ? Optional.empty() : Optional.ofNullable(adjacency.get(to));
    }

    public int linkCount() {
        return out.values().stream().mapToInt(Map::size).sum();
    }
}
