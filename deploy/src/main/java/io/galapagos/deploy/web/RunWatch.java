package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One run as the dashboard follows it: the latest history read from the journal, the order in which
 * its evaluations arrived, each island's best over that order, and the log of live events the page's
 * stream replays from any point. Only {@link #refresh()} reads the journal; every request and every
 * stream reads what the last refresh left here.
 */
final class RunWatch {

    /**
     * An event of the live stream; ids count up from 1 in the order the events happened. Its data is
     * kept as JSON text: the log holds an event per evaluation (the last {@link #RECENT_EVENTS}), and
     * text is several times smaller than the tree.
     */
    record LiveEvent(long id, String type, String json) {

        ObjectNode data() {
            try {
                return (ObjectNode) RunViews.MAPPER.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A point where an island's best rose: after evaluation {@code n} (1-based, run order) it is {@code score}. */
    record Step(long n, double score, String candidateId) {
    }

    /**
     * Events the stream can replay: a page loads the run's snapshot (summary, progress, candidates) and
     * then asks for the events after its {@code seq}, so it needs only the recent ones; a long run would
     * otherwise keep one per evaluation for as long as it goes.
     */
    static final int RECENT_EVENTS = 10_000;

    private final String runId;
    private final Supplier<RunHistory> reader;
    private final UnaryOperator<RunHistory.Candidate> full;
    private RunHistory history;
    private final Map<String, Integer> position = new HashMap<>();
    /** Evaluations placed so far, counted ones included. */
    private int seen;
    /** Places kept beyond twice the listed candidates before those of unlisted ones go. */
    private static final int PRUNE_SLACK = 1_000;
    private final Map<String, List<Step>> steps = new LinkedHashMap<>();
    private final Set<String> tested = new HashSet<>();
    /** The most recent events, at most {@link #RECENT_EVENTS}; a page starts from a snapshot and their tail. */
    private final ArrayDeque<LiveEvent> events = new ArrayDeque<>();
    private final int recentEvents;
    private long lastEventId;
    private ObjectNode lastStatus;

    RunWatch(String runId, Supplier<RunHistory> reader) {
        this(runId, reader, UnaryOperator.identity());
    }

    /** @param full brings back the code and feedback the reader's histories may leave out of a candidate */
    RunWatch(String runId, Supplier<RunHistory> reader, UnaryOperator<RunHistory.Candidate> full) {
        this(runId, reader, full, RECENT_EVENTS);
    }

    /** @param recentEvents how many of the latest events the stream can replay */
    RunWatch(String runId, Supplier<RunHistory> reader, UnaryOperator<RunHistory.Candidate> full, int recentEvents) {
        this.runId = runId;
        this.reader = reader;
        this.full = full;
        this.recentEvents = recentEvents;
    }

    /** The candidate with its code and feedback (a long run's history keeps them only for its best). */
    RunHistory.Candidate full(RunHistory.Candidate candidate) {
        return full.apply(candidate);
    }

    String runId() {
        return runId;
    }

    /** Reads what the journal added since the last refresh and turns it into live events. */
    void refresh() {
        apply(reader.get());
    }

    synchronized void apply(RunHistory next) {
        List<RunHistory.Candidate> evaluated = next.evaluated();
        long unseen = evaluated.stream().filter(c -> !position.containsKey(c.candidateId())).count();
        // a long run's history counts evaluations it no longer lists: they keep their places in the order
        seen = (int) Math.max(seen, next.evaluatedCount() - unseen);
        for (RunHistory.Candidate candidate : evaluated) {
            if (!position.containsKey(candidate.candidateId())) {
                int n = ++seen;
                position.put(candidate.candidateId(), n);
                boolean improved = improves(candidate, n);
                ObjectNode data = RunViews.row(candidate, n, next.migrantIds().contains(candidate.candidateId()));
                data.put("bestChanged", improved);
                append("evaluation", data);
            }
            if (candidate.test().isPresent() && tested.add(candidate.candidateId())) {
                ObjectNode data = RunViews.JSON.objectNode();
                data.put("id", candidate.candidateId());
                RunViews.putScore(data, "test", candidate.test());
                append("test", data);
            }
        }
        if (position.size() > 2 * next.candidates().size() + PRUNE_SLACK) {
            // the places and tests of candidates the history no longer lists go with them
            Set<String> listed = new HashSet<>();
            next.candidates().forEach(c -> listed.add(c.candidateId()));
            position.keySet().retainAll(listed);
            tested.retainAll(listed);
        }
        history = next;
        ObjectNode status = RunViews.status(next);
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            append("status", status);
        }
    }

    private boolean improves(RunHistory.Candidate candidate, int n) {
        if (!candidate.succeeded() || !Double.isFinite(candidate.evaluation().get().score())) {
            return false;
        }
        double score = candidate.evaluation().get().score();
        List<Step> island = steps.computeIfAbsent(candidate.island(), k -> new ArrayList<>());
        if (!island.isEmpty() && island.get(island.size() - 1).score() >= score) {
            return false;
        }
        island.add(new Step(n, score, candidate.candidateId()));
        return true;
    }

    private void append(String type, ObjectNode data) {
        events.addLast(new LiveEvent(++lastEventId, type, data.toString()));
        while (events.size() > recentEvents) {
            events.removeFirst();
        }
    }

    /** The history as the last refresh read it; empty before the first. */
    synchronized Optional<RunHistory> history() {
        return Optional.ofNullable(history);
    }

    /**
     * The events after {@code id}, in order; of those no longer kept, none (a client that was away for
     * more than {@link #RECENT_EVENTS} events reloads the run's snapshot to see them).
     */
    synchronized List<LiveEvent> eventsAfter(long id) {
        List<LiveEvent> after = new ArrayList<>();
        Iterator<LiveEvent> newestFirst = events.descendingIterator();
        while (newestFirst.hasNext()) {
            LiveEvent event = newestFirst.next();
            if (event.id() <= id) {
                break;
            }
            after.add(event);
        }
        Collections.reverse(after);
        return after;
    }

    /** Whether the run has completed: it changes again only when resumed, so it may be read less often. */
    synchronized boolean settled() {
        return lastStatus != null && RunStatus.Phase.COMPLETED.name().equals(lastStatus.path("phase").asText());
    }

    /** The id of the last event so far (0: none). */
    synchronized long lastEventId() {
        return lastEventId;
    }

    /** The 1-based place of a candidate's evaluation in the order the run evaluated them. */
    synchronized Optional<Integer> position(String candidateId) {
        return Optional.ofNullable(position.get(candidateId));
    }

    /** Each island's best over the evaluations, as the points where it rose. */
    synchronized Map<String, List<Step>> steps() {
        Map<String, List<Step>> copy = new LinkedHashMap<>();
        steps.forEach((island, points) -> copy.put(island, List.copyOf(points)));
        return copy;
    }
}
