package io.galapagos.deploy.engine;

import io.galapagos.controller.report.RunHistory;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether a replayed run reproduced its recording: the same candidates from the same parents, with the
 * same code, statuses, scores and metrics to the last bit, and the same failed proposals.
 *
 * @param candidates      candidates compared
 * @param failedProposals failed proposals compared
 * @param divergence      the first difference in island and sequence order, in one line; empty when none
 */
public record ReplayCheck(int candidates, int failedProposals, Optional<String> divergence) {

    /** A proposal's place: island, then sequence. */
    private record Place(String island, long sequence) {
        static final Comparator<Place> ORDER = Comparator.comparing(Place::island).thenComparingLong(Place::sequence);

        @Override
        public String toString() {
            return island + "/" + sequence;
        }
    }

    public static ReplayCheck compare(RunHistory recorded, RunHistory replayed) {
        Map<Place, Object> before = outcomes(recorded);
        Map<Place, Object> after = outcomes(replayed);
        TreeMap<Place, String> differences = new TreeMap<>(Place.ORDER);
        for (Map.Entry<Place, Object> entry : before.entrySet()) {
            Object again = after.get(entry.getKey());
            if (again == null) {
                differences.put(entry.getKey(), "the replay has no " + entry.getKey() + " (recorded: "
                        + describe(entry.getValue()) + ")");
            } else {
                difference(entry.getValue(), again).ifPresent(d -> differences.put(entry.getKey(), entry.getKey() + ": " + d));
            }
        }
        for (Map.Entry<Place, Object> entry : after.entrySet()) {
            if (!before.containsKey(entry.getKey())) {
                differences.put(entry.getKey(), "the replay has " + entry.getKey() + " that the recording lacks ("
                        + describe(entry.getValue()) + ")");
            }
        }
        int candidates = (int) before.values().stream().filter(o -> o instanceof RunHistory.Candidate).count();
        return new ReplayCheck(candidates, before.size() - candidates,
                differences.isEmpty() ? Optional.empty() : Optional.of(differences.firstEntry().getValue()));
    }

    private static Map<Place, Object> outcomes(RunHistory history) {
        Map<Place, Object> outcomes = new TreeMap<>(Place.ORDER);
        history.candidates().forEach(c -> outcomes.put(new Place(c.island(), c.sequence()), c));
        history.proposalFailures().forEach(f -> outcomes.put(new Place(f.island(), f.sequence()), f));
        return outcomes;
    }

    private static Optional<String> difference(Object recorded, Object replayed) {
        if (recorded instanceof RunHistory.Candidate a && replayed instanceof RunHistory.Candidate b) {
            if (!a.parentId().equals(b.parentId())) {
                return Optional.of("recorded parent " + a.parentId().orElse("none") + ", replayed " + b.parentId().orElse("none"));
            }
            if (!a.code().equals(b.code())) {
                return Optional.of("the code differs");
            }
            Optional<String> train = evaluation("TRAIN", a.evaluation(), b.evaluation());
            return train.isPresent() ? train : evaluation("TEST", a.test(), b.test());
        }
        if (recorded instanceof RunHistory.FailedProposal a && replayed instanceof RunHistory.FailedProposal b) {
            return a.reason().equals(b.reason()) ? Optional.empty()
                    : Optional.of("recorded failure '" + a.reason() + "', replayed '" + b.reason() + "'");
        }
        return Optional.of("recorded " + describe(recorded) + ", replayed " + describe(replayed));
    }

    private static Optional<String> evaluation(String split, Optional<RunHistory.Evaluation> recorded,
                                               Optional<RunHistory.Evaluation> replayed) {
        if (recorded.isEmpty() && replayed.isEmpty()) {
            return Optional.empty();
        }
        if (recorded.isEmpty() || replayed.isEmpty()) {
            return Optional.of(split + " recorded " + outcome(recorded) + ", replayed " + outcome(replayed));
        }
        RunHistory.Evaluation a = recorded.get();
        RunHistory.Evaluation b = replayed.get();
        if (a.status() != b.status() || Double.doubleToLongBits(a.score()) != Double.doubleToLongBits(b.score())) {
            return Optional.of(split + " recorded " + outcome(recorded) + ", replayed " + outcome(replayed));
        }
        if (!a.metrics().keySet().equals(b.metrics().keySet())) {
            return Optional.of(split + " metrics recorded " + a.metrics().keySet() + ", replayed " + b.metrics().keySet());
        }
        return new TreeMap<>(a.metrics()).keySet().stream()
                .filter(k -> Double.doubleToLongBits(a.metrics().get(k)) != Double.doubleToLongBits(b.metrics().get(k)))
                .findFirst().map(k -> split + " metric " + k + " recorded " + a.metrics().get(k) + ", replayed "
                        + b.metrics().get(k));
    }

    private static String outcome(Optional<RunHistory.Evaluation> evaluation) {
        return evaluation.map(e -> e.status() + " " + (Double.isFinite(e.score()) ? Double.toString(e.score()) : "no score"))
                .orElse("no evaluation");
    }

    private static String describe(Object outcome) {
        if (outcome instanceof RunHistory.Candidate c) {
            return "a candidate, " + outcome(c.evaluation());
        }
        return "a failed proposal, " + ((RunHistory.FailedProposal) outcome).reason();
    }
}
