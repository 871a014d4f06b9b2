package io.galapagos.simulators.cloudcast;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Scores a broadcast planner on every broadcast of a split: one run per broadcast, a fresh candidate
 * each. Score = 1 / (1 + total cost), as in the original evaluator. Unlike it, every plan is
 * validated (each destination and partition, real links, contiguous paths from the source) and
 * prices and throughputs come from the graph, never from the candidate.
 */
final class CloudcastEvaluator implements Evaluator<BroadcastPlanner> {

    private final DataSource source;
    private final Broadcasts broadcasts;

    CloudcastEvaluator(DataSource source, Broadcasts broadcasts) {
        this.source = source;
        this.broadcasts = broadcasts;
    }

    /** The validated plan and what it costs. */
    record Run(BroadcastRequest request, BroadcastSimulator.Outcome outcome) {
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends BroadcastPlanner> candidates, Split split) {
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Run> results = new ArrayList<>();
        double totalCost = 0.0;
        double totalSeconds = 0.0;
        for (BroadcastRequest request : broadcasts.requests().get(split)) {
            Run run;
            try {
                Map<String, List<List<String>>> plan = candidates.get().plan(request, broadcasts.graph());
                Map<String, List<List<Link>>> links = validate(request, broadcasts.graph(), plan);
                run = new Run(request, BroadcastSimulator.simulate(request, links));
            } catch (PlanViolation v) {
                String message = "broadcast " + request.name() + ": " + v.getMessage();
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION, message, List.of(message), runs);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                        "broadcast " + request.name() + ": " + CandidateFailures.describe(e), List.of(), runs);
            }
            results.add(run);
            BroadcastSimulator.Outcome o = run.outcome();
            totalCost = totalCost + o.cost();
            totalSeconds = totalSeconds + o.transferSeconds();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("broadcast", request.name());
            entry.put("source", request.source());
            entry.put("destinations", request.destinations().size());
            entry.put("cost", o.cost());
            entry.put("egressCost", o.egressCost());
            entry.put("instanceCost", o.instanceCost());
            entry.put("transferSeconds", o.transferSeconds());
            entry.put("overlayRegions", o.overlayRegions());
            runs.add(entry);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("totalCost", totalCost);
        metrics.put("avgCost", totalCost / results.size());
        metrics.put("totalTransferSeconds", totalSeconds);
        double score = 1.0 / (1.0 + totalCost);
        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback(results, totalCost, score), List.of(), runs);
    }

    /** Checks the plan and turns its node paths into the graph's own links. */
    static Map<String, List<List<Link>>> validate(BroadcastRequest request, CloudGraph graph,
                                                  Map<String, List<List<String>>> returned) throws PlanViolation {
        Map<String, List<List<String>>> plan = copy(returned);
        for (String dst : plan.keySet()) {
            if (!request.destinations().contains(dst)) {
                throw new PlanViolation("'" + dst + "' is not a destination of this broadcast (destinations: "
                        + String.join(", ", request.destinations()) + ")");
            }
        }
        Map<String, List<List<Link>>> links = new LinkedHashMap<>();
        for (String dst : request.destinations()) {
            List<List<String>> perPartition = plan.get(dst);
            if (perPartition == null) {
                throw new PlanViolation("destination " + dst + " has no paths");
            }
            if (perPartition.size() != request.partitions()) {
                throw new PlanViolation("destination " + dst + " has " + perPartition.size() + " paths; it needs one per partition ("
                        + request.partitions() + ")");
            }
            List<List<Link>> dstLinks = new ArrayList<>();
            for (int p = 0; p < request.partitions(); p++) {
                dstLinks.add(path(request, graph, dst, p, perPartition.get(p)));
            }
            links.put(dst, dstLinks);
        }
        return links;
    }

    /**
     * The candidate's plan read once into the evaluator's own lists, every element's type checked: the
     * maps and lists may be the candidate's own classes, which could answer differently when asked twice.
     * Missing parts stay {@code null} for the checks that name them.
     */
    private static Map<String, List<List<String>>> copy(Map<?, ?> plan) throws PlanViolation {
        if (plan == null) {
            throw new PlanViolation("plan(...) returned null instead of paths per destination");
        }
        Map<String, List<List<String>>> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : plan.entrySet()) {
            if (!(entry.getKey() instanceof String dst)) {
                throw new PlanViolation("the plan has the key " + entry.getKey() + ", not a destination region name");
            }
            Object paths = entry.getValue();
            if (paths != null && !(paths instanceof List<?>)) {
                throw new PlanViolation("destination " + dst + " maps to a " + paths.getClass().getName()
                        + ", not a list of paths");
            }
            List<List<String>> perPartition = null;
            if (paths != null) {
                perPartition = new ArrayList<>();
                for (Object path : (List<?>) paths) {
                    perPartition.add(path == null ? null : nodes(dst, path));
                }
            }
            copy.put(dst, perPartition);
        }
        return copy;
    }

    private static List<String> nodes(String dst, Object path) throws PlanViolation {
        if (!(path instanceof List<?> list)) {
            throw new PlanViolation("destination " + dst + " has a path of type " + path.getClass().getName()
                    + ", not a list of regions");
        }
        List<String> nodes = new ArrayList<>();
        for (Object node : list) {
            if (!(node instanceof String region)) {
                throw new PlanViolation("destination " + dst + " has a path holding " + node + ", not a region name");
            }
            nodes.add(region);
        }
        return nodes;
    }

    private static List<Link> path(BroadcastRequest request, CloudGraph graph, String dst, int p, List<String> nodes)
            throws PlanViolation {
        String where = "destination " + dst + ", partition " + p + ": ";
        if (nodes == null || nodes.size() < 2) {
            throw new PlanViolation(where + "the path needs at least the source and the destination, got " + nodes);
        }
        if (!request.source().equals(nodes.get(0))) {
            throw new PlanViolation(where + "the path starts at " + nodes.get(0) + ", not at the source " + request.source());
        }
        if (!dst.equals(nodes.get(nodes.size() - 1))) {
            throw new PlanViolation(where + "the path ends at " + nodes.get(nodes.size() - 1) + ", not at the destination");
        }
        Set<String> seen = new HashSet<>();
        List<Link> links = new ArrayList<>(nodes.size() - 1);
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            if (!seen.add(node)) {
                throw new PlanViolation(where + "region " + node + " appears twice in the path " + nodes);
            }
            if (i > 0) {
                String from = nodes.get(i - 1);
                links.add(graph.link(from, node).orElseThrow(() -> new PlanViolation(where + "there is no link "
                        + from + " -> " + node + (graph.contains(node) ? "" : " (unknown region " + node + ")"))));
            }
        }
        return links;
    }

    private static String feedback(List<Run> runs, double total, double score) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Total cost $%.2f over %d broadcasts (score %.9f = 1/(1+total)).%n", total, runs.size(), score));
        List<Run> ranked = new ArrayList<>(runs);
        ranked.sort(Comparator.comparingDouble((Run r) -> r.outcome().cost()).reversed());
        text.append("Broadcasts, most expensive first:\n");
        for (Run r : ranked) {
            BroadcastSimulator.Outcome o = r.outcome();
            double partitionGb = r.request().dataVolumeGb() / r.request().partitions();
            List<BroadcastSimulator.Edge> edges = new ArrayList<>(o.edges());
            edges.sort(Comparator.comparingDouble((BroadcastSimulator.Edge e) -> e.egressCost(partitionGb)).reversed());
            StringBuilder top = new StringBuilder();
            for (BroadcastSimulator.Edge e : edges.subList(0, Math.min(3, edges.size()))) {
                top.append(String.format(Locale.ROOT, "%s%s -> %s $%.2f (%d partitions, %.2f Gbps after limits)",
                        top.length() == 0 ? "" : "; ", e.link.from(), e.link.to(), e.egressCost(partitionGb),
                        e.partitions.size(), e.flow));
            }
            text.append(String.format(Locale.ROOT,
                    "- %s from %s to %d regions: $%.2f (egress $%.2f, VMs $%.2f in %d regions), slowest destination %s after %.1f s; "
                            + "costliest links: %s%n",
                    r.request().name(), r.request().source(), r.request().destinations().size(), o.cost(), o.egressCost(),
                    o.instanceCost(), o.overlayRegions(), o.slowestDestination(), o.transferSeconds(), top));
        }
        return text.toString();
    }

    @Override
    public int runCount(Split split) {
        return broadcasts.requests().get(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    Broadcasts broadcasts() {
        return broadcasts;
    }
}
