package io.galapagos.simulators.cloudcast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Cloudcast simulator ({@code BCSimulator.evaluate_path} with two VMs per region), in the
 * original's arithmetic order so that costs are bit-identical: the paths' links form an overlay,
 * links share their regions' ingress/egress limits, each destination's time is its slowest link's
 * transfer time, and the cost is egress per GB plus VM time of every overlay region.
 */
final class BroadcastSimulator {

    static final int VMS_PER_REGION = 2;
    static final double VM_PRICE_PER_HOUR = 0.54;

    /** What one broadcast costs. */
    record Outcome(double cost, double egressCost, double instanceCost, double transferSeconds,
                   String slowestDestination, int overlayRegions, List<Edge> edges) {
    }

    /** An overlay link with the partitions crossing it and its share of the regions' limits. */
    static final class Edge {
        final Link link;
        final Set<Integer> partitions = new HashSet<>();
        double flow;

        Edge(Link link) {
            this.link = link;
            this.flow = link.throughputGbps();
        }

        double egressCost(double partitionGb) {
            return (partitions.size() * partitionGb) * link.costPerGb();
        }
    }

    private BroadcastSimulator() {
    }

    /** Simulates validated paths: {@code paths.get(dst).get(p)} are links of the graph from source to dst. */
    static Outcome simulate(BroadcastRequest request, Map<String, List<List<Link>>> paths) {
        int partitions = request.partitions();
        double partitionGb = request.dataVolumeGb() / partitions;

        Map<String, List<Edge>> outEdges = new LinkedHashMap<>();
        Map<String, List<Edge>> inEdges = new LinkedHashMap<>();
        Map<String, Map<String, Edge>> edges = new LinkedHashMap<>();
        for (String dst : request.destinations()) {
            for (int p = 0; p < partitions; p++) {
                for (Link link : paths.get(dst).get(p)) {
                    Edge edge = edges.computeIfAbsent(link.from(), k -> new LinkedHashMap<>()).get(link.to());
                    if (edge == null) {
                        edge = new Edge(link);
                        edges.get(link.from()).put(link.to(), edge);
                        outEdges.computeIfAbsent(link.from(), k -> new ArrayList<>()).add(edge);
                        inEdges.computeIfAbsent(link.from(), k -> new ArrayList<>());
                        outEdges.computeIfAbsent(link.to(), k -> new ArrayList<>());
                        inEdges.computeIfAbsent(link.to(), k -> new ArrayList<>()).add(edge);
                    }
                    edge.partitions.add(p);
                }
            }
        }

        for (String node : outEdges.keySet()) {
            String provider = CloudGraph.provider(node);
            List<Edge> in = inEdges.get(node);
            List<Edge> out = outEdges.get(node);
            double inSum = 0;
            for (Edge e : in) {
                inSum = inSum + e.flow;
            }
            double outSum = 0;
            for (Edge e : out) {
                outSum = outSum + e.flow;
            }
            double ingress = limit(request.ingressLimitGbps(), provider, "ingress");
            if (inSum > ingress) {
                double share = ingress * (1.0 / in.size());
                in.forEach(e -> e.flow = Math.min(e.flow, share));
            }
            double egress = limit(request.egressLimitGbps(), provider, "egress");
            if (outSum > egress) {
                double share = egress * (1.0 / out.size());
                out.forEach(e -> e.flow = Math.min(e.flow, share));
            }
        }

        double maxSeconds = Double.NEGATIVE_INFINITY;
        String slowest = request.destinations().get(0);
        for (String dst : request.destinations()) {
            double seconds = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < partitions; p++) {
                for (Link link : paths.get(dst).get(p)) {
                    Edge e = edges.get(link.from()).get(link.to());
                    seconds = Math.max(seconds, ((e.partitions.size() * partitionGb) * 8) / e.flow);
                }
            }
            if (seconds > maxSeconds) {
                maxSeconds = seconds;
                slowest = dst;
            }
        }

        double egressCost = 0;
        List<Edge> ordered = new ArrayList<>();
        for (List<Edge> out : outEdges.values()) {
            for (Edge e : out) {
                egressCost = egressCost + e.egressCost(partitionGb);
                ordered.add(e);
            }
        }
        double rounded = roundHalfEven2(maxSeconds);
        double term = (VMS_PER_REGION * (VM_PRICE_PER_HOUR / 3600)) * rounded;
        double instanceCost = 0;
        for (int i = 0; i < outEdges.size(); i++) {
            instanceCost = instanceCost + term;
        }
        return new Outcome(egressCost + instanceCost, egressCost, instanceCost, maxSeconds, slowest, outEdges.size(), ordered);
    }

    private static double limit(Map<String, Double> limits, String provider, String kind) {
        Double value = limits.get(provider);
        if (value == null) {
            throw new IllegalArgumentException("no " + kind + " limit for provider '" + provider + "'");
        }
        return value;
    }

    /** Python's {@code round(x, 2)}: the exact binary value rounded half-even at two decimals. */
    static double roundHalfEven2(double x) {
        if (!Double.isFinite(x)) {
            return x;
        }
        return Double.parseDouble(new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString());
    }
}
