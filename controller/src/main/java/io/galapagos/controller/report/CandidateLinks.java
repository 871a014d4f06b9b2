package io.galapagos.controller.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every candidate's parent and first score, for the lineage and for what each generator's children earned,
 * when a {@link RunHistory.Reader}'s history no longer lists the candidate itself. Ids of the form
 * {@code <island id>/<sequence>} (every island's) take 16 bytes a proposal in two arrays per island, indexed
 * by sequence; other ids (tests') a map entry. Appended to by one reader, read by the histories it handed
 * out: a link once set never changes but for the score of a candidate evaluated again.
 */
public final class CandidateLinks {

    /** No parent; a parent held in {@link #otherParents}. */
    private static final long NONE = 0;
    private static final long OTHER = -1;

    private final Map<String, Integer> islandNos = new HashMap<>();
    private final List<String> islandIds = new ArrayList<>();
    private long[][] parents = new long[0][];
    private double[][] scores = new double[0][];
    private long[] sizes = new long[0];
    private final Map<String, String> otherParents = new HashMap<>();
    private final Map<String, Double> otherScores = new HashMap<>();

    /** The links of {@code candidates}, for a history built from a list. */
    static CandidateLinks of(List<RunHistory.Candidate> candidates) {
        CandidateLinks links = new CandidateLinks();
        for (RunHistory.Candidate c : candidates) {
            links.island(c.island());
            links.proposed(c.candidateId(), c.parentId());
        }
        for (RunHistory.Candidate c : candidates) {
            c.evaluation().ifPresent(e -> links.evaluated(c.candidateId(), e.status().succeeded(), e.score()));
        }
        return links;
    }

    /** Makes {@code islandId}'s candidates take the arrays. */
    synchronized void island(String islandId) {
        if (islandNos.containsKey(islandId)) {
            return;
        }
        islandNos.put(islandId, islandIds.size());
        islandIds.add(islandId);
        int n = islandIds.size();
        parents = Arrays.copyOf(parents, n);
        scores = Arrays.copyOf(scores, n);
        sizes = Arrays.copyOf(sizes, n);
        parents[n - 1] = new long[16];
        scores[n - 1] = new double[16];
    }

    synchronized void proposed(String candidateId, Optional<String> parentId) {
        long at = place(candidateId);
        long parent = parentId.map(this::place).orElse(NONE);
        if (at == OTHER || parent == OTHER) {
            parentId.ifPresent(p -> otherParents.put(candidateId, p));
            if (at == OTHER) {
                return;
            }
            parent = OTHER;
        }
        int island = island(at);
        int sequence = sequence(at);
        grow(island, sequence);
        parents[island][sequence] = parent;
    }

    /** The candidate's score; a failed evaluation has none. */
    synchronized void evaluated(String candidateId, boolean succeeded, double score) {
        double value = succeeded ? score : Double.NaN;
        long at = place(candidateId);
        if (at == OTHER) {
            otherScores.put(candidateId, value);
            return;
        }
        grow(island(at), sequence(at));
        scores[island(at)][sequence(at)] = value;
    }

    synchronized Optional<String> parent(String candidateId) {
        long at = place(candidateId);
        if (at == OTHER || sequence(at) >= sizes[island(at)]) {
            return Optional.ofNullable(otherParents.get(candidateId));
        }
        long parent = parents[island(at)][sequence(at)];
        if (parent == OTHER) {
            return Optional.ofNullable(otherParents.get(candidateId));
        }
        return parent == NONE ? Optional.empty() : Optional.of(islandIds.get(island(parent)) + "/" + sequence(parent));
    }

    /** The succeeded score of the candidate's evaluation; empty when it failed, is in flight or is unknown. */
    synchronized Optional<Double> score(String candidateId) {
        long at = place(candidateId);
        double score;
        if (at == OTHER) {
            score = otherScores.getOrDefault(candidateId, Double.NaN);
        } else {
            score = sequence(at) < sizes[island(at)] ? scores[island(at)][sequence(at)] : Double.NaN;
        }
        return Double.isNaN(score) ? Optional.empty() : Optional.of(score);
    }

    /** Island number + 1 and sequence in one long; {@link #OTHER} for an id of another form. */
    private long place(String candidateId) {
        int slash = candidateId.lastIndexOf('/');
        if (slash <= 0 || slash == candidateId.length() - 1) {
            return OTHER;
        }
        Integer island = islandNos.get(candidateId.substring(0, slash));
        if (island == null) {
            return OTHER;
        }
        long sequence;
        try {
            sequence = Long.parseLong(candidateId.substring(slash + 1));
        } catch (NumberFormatException e) {
            return OTHER;
        }
        if (sequence < 0 || sequence >= Integer.MAX_VALUE - 8) {
            return OTHER;
        }
        return ((long) (island + 1) << 32) | sequence;
    }

    private static int island(long place) {
        return (int) (place >>> 32) - 1;
    }

    private static int sequence(long place) {
        return (int) place;
    }

    private void grow(int island, int sequence) {
        if (sequence >= parents[island].length) {
            int length = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(sequence + 1L, parents[island].length * 3L / 2));
            parents[island] = Arrays.copyOf(parents[island], length);
            double[] grown = Arrays.copyOf(scores[island], length);
            Arrays.fill(grown, scores[island].length, length, Double.NaN);
            scores[island] = grown;
        }
        if (sequence >= sizes[island]) {
            Arrays.fill(scores[island], (int) sizes[island], sequence + 1, Double.NaN);
            sizes[island] = sequence + 1;
        }
    }
}
