package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.report.RunOutputs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The JSON the dashboard's API answers with, made from a run's history. */
final class RunViews {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Failed proposals are grouped by reason with the numbers in it (candidate ids, lines) left out. */
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    static final int REASON_LENGTH = 160;

    private RunViews() {
    }

    static void putScore(ObjectNode node, String field, Optional<RunHistory.Evaluation> evaluation) {
        Optional<Double> score = evaluation.filter(e -> e.status().succeeded()).map(RunHistory.Evaluation::score)
                .filter(Double::isFinite);
        if (score.isPresent()) {
            node.put(field, score.get());
        } else {
            node.putNull(field);
        }
    }

    /** A candidate as a table row and a live evaluation event carry it. */
    static ObjectNode row(RunHistory.Candidate candidate, int n, boolean migrant) {
        ObjectNode row = JSON.objectNode();
        if (n > 0) {
            row.put("n", n);
        } else {
            row.putNull("n");
        }
        row.put("id", candidate.candidateId());
        row.put("island", candidate.island());
        row.put("sequence", candidate.sequence());
        putOptional(row, "parent", candidate.parentId());
        row.put("generator", candidate.generator());
        putOptional(row, "status", candidate.evaluation().map(e -> e.status().name()));
        putScore(row, "score", candidate.evaluation());
        putScore(row, "test", candidate.test());
        row.put("summary", candidate.summary());
        row.put("migrant", migrant);
        return row;
    }

    static ObjectNode status(RunHistory history) {
        ObjectNode status = JSON.objectNode();
        status.put("phase", history.phase().name());
        status.put("evaluated", history.evaluatedCount());
        status.put("proposed", history.proposed());
        status.put("inFlight", history.inFlight());
        status.put("failedProposals", history.failedProposals());
        putScore(status, "best", history.best().flatMap(RunHistory.Candidate::evaluation));
        putOptional(status, "bestCandidate", history.best().map(RunHistory.Candidate::candidateId));
        putOptional(status, "completion", history.completion());
        status.put("elapsedMillis", history.elapsedMillis());
        return status;
    }

    static ObjectNode runListItem(String runId, RunHistory history) {
        ObjectNode item = JSON.objectNode();
        item.put("id", runId);
        item.put("task", history.settings().map(s -> s.taskId()).orElse(""));
        item.put("phase", history.phase().name());
        item.put("evaluated", history.evaluatedCount());
        item.put("proposed", history.proposed());
        putScore(item, "best", history.best().flatMap(RunHistory.Candidate::evaluation));
        item.put("elapsedMillis", history.elapsedMillis());
        return item;
    }

    static ObjectNode summary(String runId, RunHistory history, String language, List<RunComparison.Row> baselines,
                              long seq) {
        ObjectNode summary = status(history);
        summary.put("id", runId);
        summary.put("task", history.settings().map(s -> s.taskId()).orElse(""));
        summary.put("language", language);
        summary.put("iterations", history.settings().map(s -> s.iterations()).orElse(0L));
        summary.put("migrants", history.migrantsAccepted());
        ArrayNode islands = summary.putArray("islands");
        Map<String, Long> evaluatedPerIsland = history.evaluatedPerIsland();
        history.settings().ifPresent(settings -> {
            for (int k = 0; k < settings.islands(); k++) {
                String islandId = settings.islandId(k);
                ObjectNode island = islands.addObject();
                island.put("id", islandId);
                island.put("evaluated", evaluatedPerIsland.getOrDefault(islandId, 0L));
                Optional<RunHistory.Candidate> best = history.bestOf(islandId);
                putScore(island, "best", best.flatMap(RunHistory.Candidate::evaluation));
                putOptional(island, "bestCandidate", best.map(RunHistory.Candidate::candidateId));
            }
        });
        Optional<RunHistory.Candidate> best = history.best();
        if (best.isPresent()) {
            ObjectNode node = summary.putObject("best");
            node.put("candidateId", best.get().candidateId());
            node.put("island", best.get().island());
            putScore(node, "train", best.get().evaluation());
            putScore(node, "test", best.get().test());
        } else {
            summary.putNull("best");
        }
        ArrayNode baselineNodes = summary.putArray("baselines");
        for (RunComparison.Row row : baselines) {
            ObjectNode node = baselineNodes.addObject();
            node.put("name", row.label().startsWith(RunComparison.BASELINE)
                    ? row.label().substring(RunComparison.BASELINE.length()) : row.label());
            putOutcome(node, "train", row.train());
            putOutcome(node, "test", row.test());
        }
        Map<String, Object> front = RunOutputs.front(history, Optional.empty());
        if (!front.isEmpty()) {
            summary.set("front", MAPPER.valueToTree(front)); // pareto mode only
        }
        summary.set("failures", MAPPER.valueToTree(history.failures()));
        summary.set("failedProposalReasons", reasons(history));
        summary.set("spending", spending(history));
        summary.put("seq", seq);
        return summary;
    }

    private static void putOutcome(ObjectNode node, String field, Optional<RunComparison.Outcome> outcome) {
        Optional<Double> score = outcome.flatMap(RunComparison.Outcome::score);
        if (score.isPresent()) {
            node.put(field, score.get());
        } else {
            node.putNull(field);
        }
    }

    static ArrayNode reasons(RunHistory history) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        // those a long run's history no longer lists, by the first line of their reason
        history.failedBefore().reasons().forEach((reason, count) ->
                counts.merge(reasonGroup(reason), (int) (long) count, Integer::sum));
        for (RunHistory.FailedProposal failed : history.proposalFailures()) {
            counts.merge(reasonGroup(failed.reason()), 1, Integer::sum);
        }
        ArrayNode reasons = JSON.arrayNode();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> {
            ObjectNode node = reasons.addObject();
            node.put("reason", e.getKey());
            node.put("count", e.getValue());
        });
        return reasons;
    }

    static String reasonGroup(String reason) {
        String line = reason.lines().findFirst().orElse("");
        String grouped = NUMBERS.matcher(line).replaceAll("#");
        return grouped.length() > REASON_LENGTH ? grouped.substring(0, REASON_LENGTH) + "..." : grouped;
    }

    static ArrayNode spending(RunHistory history) {
        ArrayNode models = JSON.arrayNode();
        for (Map.Entry<String, CostTracker.ModelTotals> entry : history.spending().entrySet()) {
            ObjectNode node = models.addObject();
            node.put("model", entry.getKey());
            node.put("calls", entry.getValue().calls());
            node.put("promptTokens", entry.getValue().promptTokens());
            node.put("completionTokens", entry.getValue().completionTokens());
            node.put("costUsd", entry.getValue().costUsd());
        }
        return models;
    }

    static ObjectNode progress(RunWatch watch, RunHistory history) {
        ObjectNode progress = JSON.objectNode();
        progress.put("evaluated", history.evaluatedCount());
        ObjectNode islands = progress.putObject("islands");
        ObjectNode tests = progress.putObject("tests");
        Map<String, RunHistory.Candidate> byId = byId(history);
        watch.steps().forEach((island, steps) -> {
            ArrayNode points = islands.putArray(island);
            for (RunWatch.Step step : steps) {
                ArrayNode point = points.addArray();
                point.add(step.n());
                point.add(step.score());
                point.add(step.candidateId());
                RunHistory.Candidate candidate = byId.get(step.candidateId());
                if (candidate != null) {
                    candidate.test().filter(t -> t.status().succeeded() && Double.isFinite(t.score()))
                            .ifPresent(t -> tests.put(step.candidateId(), t.score()));
                }
            }
        });
        progress.put("seq", watch.lastEventId());
        return progress;
    }

    /** A page of candidates: by score (best first, failures last) or most recent first. */
    static ObjectNode candidates(RunWatch watch, RunHistory history, int offset, int limit, boolean byScore) {
        List<RunHistory.Candidate> all = new ArrayList<>(history.candidates());
        Comparator<RunHistory.Candidate> recent = Comparator.comparingInt(
                (RunHistory.Candidate c) -> watch.position(c.candidateId()).orElse(Integer.MAX_VALUE)).reversed();
        if (byScore) {
            all.sort(Comparator.comparingDouble(RunViews::sortScore).reversed().thenComparing(recent));
        } else {
            all.sort(recent);
        }
        ObjectNode page = JSON.objectNode();
        page.put("total", all.size());
        page.put("offset", offset);
        ArrayNode items = page.putArray("items");
        for (int k = offset; k < Math.min(all.size(), offset + limit); k++) {
            RunHistory.Candidate c = all.get(k);
            items.add(row(c, watch.position(c.candidateId()).orElse(0), history.migrantIds().contains(c.candidateId())));
        }
        return page;
    }

    private static double sortScore(RunHistory.Candidate c) {
        return c.succeeded() && Double.isFinite(c.evaluation().get().score()) ? c.evaluation().get().score()
                : Double.NEGATIVE_INFINITY;
    }

    static Optional<ObjectNode> candidate(RunWatch watch, RunHistory history, String candidateId, String language) {
        Map<String, RunHistory.Candidate> byId = byId(history);
        RunHistory.Candidate held = byId.get(candidateId);
        if (held == null) {
            return Optional.empty();
        }
        RunHistory.Candidate candidate = watch.full(held);
        ObjectNode node = row(candidate, watch.position(candidateId).orElse(0),
                history.migrantIds().contains(candidateId));
        node.put("language", language);
        node.put("code", candidate.code());
        Optional<RunHistory.Candidate> parent = candidate.parentId().map(byId::get).map(watch::full);
        node.put("diff", parent.map(p -> LineDiff.unified(p.code(), candidate.code(), 3)).orElse(""));
        candidate.evaluation().ifPresent(e -> {
            node.set("metrics", MAPPER.valueToTree(e.metrics()));
            node.put("feedback", e.feedback());
            node.put("elapsedMillis", e.elapsedMillis());
            node.put("worker", e.worker());
        });
        if (candidate.evaluation().isEmpty()) {
            node.putObject("metrics");
            node.put("feedback", "");
        }
        if (candidate.test().isPresent()) {
            ObjectNode test = node.putObject("test");
            test.put("status", candidate.test().get().status().name());
            putScore(test, "score", candidate.test());
            test.set("metrics", MAPPER.valueToTree(candidate.test().get().metrics()));
        } else {
            node.putNull("test");
        }
        ObjectNode usage = node.putObject("usage");
        usage.put("promptTokens", candidate.usage().promptTokens());
        usage.put("completionTokens", candidate.usage().completionTokens());
        usage.put("costUsd", candidate.usage().costUsd());
        ArrayNode lineage = node.putArray("lineage");
        history.lineage(candidateId).forEach(lineage::add);
        return Optional.of(node);
    }

    /** Every proposed candidate with its parent and its depth below its island's seed. */
    static ObjectNode lineage(RunWatch watch, RunHistory history) {
        Map<String, RunHistory.Candidate> byId = byId(history);
        Map<String, Integer> depths = new HashMap<>();
        List<RunHistory.Candidate> ordered = new ArrayList<>(history.candidates());
        // evaluated ones in the order they were evaluated, those in flight after them
        ordered.sort(Comparator.comparingInt(c -> watch.position(c.candidateId()).orElse(Integer.MAX_VALUE)));
        ObjectNode lineage = JSON.objectNode();
        ArrayNode nodes = lineage.putArray("nodes");
        for (RunHistory.Candidate candidate : ordered) {
            ObjectNode node = nodes.addObject();
            node.put("id", candidate.candidateId());
            putOptional(node, "parent", candidate.parentId());
            node.put("island", candidate.island());
            putScore(node, "score", candidate.evaluation());
            putOptional(node, "status", candidate.evaluation().map(e -> e.status().name()));
            node.put("migrant", history.migrantIds().contains(candidate.candidateId()));
            node.put("depth", depth(candidate.candidateId(), byId, depths));
        }
        lineage.put("seq", watch.lastEventId());
        return lineage;
    }

    private static int depth(String candidateId, Map<String, RunHistory.Candidate> byId, Map<String, Integer> depths) {
        // walk up to a known depth or a seed, then fill the chain in on the way back
        List<String> chain = new ArrayList<>();
        String at = candidateId;
        int base = 0;
        while (at != null) {
            Integer known = depths.get(at);
            if (known != null) {
                base = known + 1;
                break;
            }
            if (chain.contains(at)) {
                break;
            }
            chain.add(at);
            RunHistory.Candidate c = byId.get(at);
            at = c == null ? null : c.parentId().orElse(null);
        }
        for (int k = chain.size() - 1; k >= 0; k--) {
            depths.put(chain.get(k), base + (chain.size() - 1 - k));
        }
        return depths.get(candidateId);
    }

    static ObjectNode failures(RunHistory history) {
        ObjectNode failures = JSON.objectNode();
        failures.set("byStatus", MAPPER.valueToTree(history.failures()));
        ObjectNode proposals = failures.putObject("proposals");
        proposals.put("total", history.failedProposals());
        proposals.set("byReason", reasons(history));
        ArrayNode recent = proposals.putArray("recent");
        List<RunHistory.FailedProposal> all = history.proposalFailures();
        for (int k = all.size() - 1; k >= Math.max(0, all.size() - 50); k--) {
            RunHistory.FailedProposal failed = all.get(k);
            ObjectNode node = recent.addObject();
            node.put("island", failed.island());
            node.put("sequence", failed.sequence());
            node.put("generator", failed.generator());
            node.put("reason", failed.reason());
        }
        return failures;
    }

    private static Map<String, RunHistory.Candidate> byId(RunHistory history) {
        Map<String, RunHistory.Candidate> byId = new HashMap<>();
        history.candidates().forEach(c -> byId.put(c.candidateId(), c));
        return byId;
    }

    private static void putOptional(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }
}
