package io.galapagos.controller.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline generator: scales one numeric constant inside the parent's EVOLVE-BLOCK. Every random
 * choice comes from the request's seed, so a proposal is reproducible.
 */
public final class OfflineMutator implements SolutionGenerator {

    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_$0-9.])(\\d+\\.\\d+|\\d+)(?![A-Za-z_$0-9.])");
    private static final double[] FACTORS = {0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0};

    private final String taskId;

    public OfflineMutator(String taskId) {
        this.taskId = taskId;
    }

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        return CompletableFuture.completedFuture(mutate(request));
    }

    /** The proposal for {@code request}, computed on the calling thread. */
    public Proposal mutate(ProposalRequest request) {
        if (!request.taskId().equals(taskId)) {
            return new Proposal.Failed("the offline mutator serves task '" + taskId + "', not '" + request.taskId() + "'",
                    "offline", Usage.NONE);
        }
        String[] lines = request.parent().code().split("\n", -1);
        List<int[]> sites = new ArrayList<>();
        boolean inside = false;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("EVOLVE-BLOCK-START")) {
                inside = true;
            } else if (lines[i].contains("EVOLVE-BLOCK-END")) {
                inside = false;
            } else if (inside && !lines[i].strip().startsWith("//")) {
                Matcher m = NUMBER.matcher(lines[i]);
                while (m.find()) {
                    sites.add(new int[]{i, m.start(), m.end()});
                }
            }
        }
        if (sites.isEmpty()) {
            return new Proposal.Failed("no numeric constant inside the EVOLVE-BLOCK of " + request.parent().candidateId(),
                    "offline", Usage.NONE);
        }
        SplittableRandom random = new SplittableRandom(request.seed());
        int[] site = sites.get(random.nextInt(sites.size()));
        String line = lines[site[0]];
        String literal = line.substring(site[1], site[2]);
        double factor = FACTORS[random.nextInt(FACTORS.length)];
        String replacement = literal.contains(".")
                ? String.valueOf(Math.round(Double.parseDouble(literal) * factor * 10_000) / 10_000.0)
                : String.valueOf(Math.max(0, Math.round(Long.parseLong(literal) * factor)));
        if (replacement.equals(literal)) {
            replacement = literal.contains(".") ? String.valueOf(Double.parseDouble(literal) + 0.1) : String.valueOf(Long.parseLong(literal) + 1);
        }
        lines[site[0]] = line.substring(0, site[1]) + replacement + line.substring(site[2]);
        return new Proposal.Code(String.join("\n", lines), "offline",
                "line " + (site[0] + 1) + ": " + literal + " -> " + replacement, Usage.NONE);
    }
}
