package io.galapagos.controller.report;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.Usage;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.island.NoisyScore;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.protocol.EvaluationStatus;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stored history of a run, read from the journal (the read side): every candidate with its
 * proposal, evaluation and test, in the order they were evaluated. Works on a running, stopped or
 * crashed run alike. {@code migrantIds} are the candidates another island took in as migrants.
 */
public record RunHistory(Optional<RunSettings> settings, List<Run.Event> runEvents, List<Candidate> candidates,
                         List<FailedProposal> proposalFailures, Map<String, Integer> evaluationsPerCandidate,
                         long migrantsAccepted, Set<String> migrantIds, Map<String, Double> islandBestExcess,
                         Map<String, List<ReEvaluation>> reEvaluations, FailedBefore failedBefore,
                         EvaluatedBefore evaluatedBefore, CandidateLinks links) {

    /**
     * ({@code evaluatedBefore}: the evaluated candidates a {@link Reader}'s history no longer lists, as totals;
     * {@code links}: every candidate's parent and score, listed or not.)
     */
    public RunHistory {
        evaluatedBefore = evaluatedBefore == null ? EvaluatedBefore.NONE : evaluatedBefore;
        links = links == null ? CandidateLinks.of(candidates) : links;
    }

    /** A history that lists every evaluated candidate. */
    public RunHistory(Optional<RunSettings> settings, List<Run.Event> runEvents, List<Candidate> candidates,
                      List<FailedProposal> proposalFailures, Map<String, Integer> evaluationsPerCandidate,
                      long migrantsAccepted, Set<String> migrantIds, Map<String, Double> islandBestExcess,
                      Map<String, List<ReEvaluation>> reEvaluations, FailedBefore failedBefore) {
        this(settings, runEvents, candidates, proposalFailures, evaluationsPerCandidate, migrantsAccepted, migrantIds,
                islandBestExcess, reEvaluations, failedBefore, EvaluatedBefore.NONE, null);
    }

    /**
     * A history that holds every failed proposal. ({@code failedBefore}: what a {@link Reader}'s history
     * no longer lists of the failed proposals it handed out before, as totals.)
     */
    public RunHistory(Optional<RunSettings> settings, List<Run.Event> runEvents, List<Candidate> candidates,
                      List<FailedProposal> proposalFailures, Map<String, Integer> evaluationsPerCandidate,
                      long migrantsAccepted, Set<String> migrantIds, Map<String, Double> islandBestExcess,
                      Map<String, List<ReEvaluation>> reEvaluations) {
        this(settings, runEvents, candidates, proposalFailures, evaluationsPerCandidate, migrantsAccepted, migrantIds,
                islandBestExcess, reEvaluations, FailedBefore.NONE);
    }

    /**
     * The failed proposals a reader's history no longer lists, as the outputs count them: how many, of which
     * repeats, the tokens and dollars per model, and how many per reason (the reason's first line as
     * {@code report.html} groups them; at most {@link #MAX_REASONS} reasons, a repeat's names the program
     * it repeats).
     */
    public record FailedBefore(long count, long duplicates, long nearDuplicates,
                               Map<String, CostTracker.ModelTotals> spending, Map<String, Long> reasons) {

        public static final FailedBefore NONE = new FailedBefore(0, 0, 0, Map.of(), Map.of());

        static final int MAX_REASONS = 1_000;

        FailedBefore plus(List<FailedProposal> failed) {
            Map<String, CostTracker.ModelTotals> models = new TreeMap<>(spending);
            Map<String, Long> byReason = new HashMap<>(reasons);
            long exact = duplicates;
            long near = nearDuplicates;
            for (FailedProposal f : failed) {
                charge(models, f.generator(), f.usage());
                String reason = RunReport.firstLine(f.reason());
                if (byReason.containsKey(reason) || byReason.size() < MAX_REASONS) {
                    byReason.merge(reason, 1L, Long::sum);
                }
                exact += f.repeats().map(Island.Repeat::exact).orElse(false) ? 1 : 0;
                near += f.repeats().map(r -> !r.exact()).orElse(false) ? 1 : 0;
            }
            return new FailedBefore(count + failed.size(), exact, near, Collections.unmodifiableMap(models),
                    Collections.unmodifiableMap(byReason));
        }
    }

    /**
     * A history without re-evaluations (a deterministic task's).
     * ({@code reEvaluations}: a stochastic task's would-be bests, each with its re-evaluations in order.)
     */
    public RunHistory(Optional<RunSettings> settings, List<Run.Event> runEvents, List<Candidate> candidates,
                      List<FailedProposal> proposalFailures, Map<String, Integer> evaluationsPerCandidate,
                      long migrantsAccepted, Set<String> migrantIds, Map<String, Double> islandBestExcess) {
        this(settings, runEvents, candidates, proposalFailures, evaluationsPerCandidate, migrantsAccepted, migrantIds,
                islandBestExcess, Map.of());
    }

    /** Re-evaluation {@code repeat} (1, 2, ...) of a stochastic task's would-be best. */
    public record ReEvaluation(int repeat, EvaluationStatus status, double score, String split, long elapsedMillis,
                               String worker, long timestampMillis) {
    }

    /**
     * A history without the islands' bests: ranked by score alone.
     * ({@code islandBestExcess}: every candidate that became its island's best, with how far it went past the
     * island's constraint limits; with {@code galapagos.islands.constraints} on, the best is chosen among them.)
     */
    public RunHistory(Optional<RunSettings> settings, List<Run.Event> runEvents, List<Candidate> candidates,
                      List<FailedProposal> proposalFailures, Map<String, Integer> evaluationsPerCandidate,
                      long migrantsAccepted, Set<String> migrantIds) {
        this(settings, runEvents, candidates, proposalFailures, evaluationsPerCandidate, migrantsAccepted, migrantIds,
                Map.of());
    }

    /** How a worker's sandbox describes running candidates without a jail: {@code none (<why>)}. */
    public static final String NO_JAIL = "none";


    /**
     * A proposal that gave no candidate, with its reason.
     *
     * @param callFailed the model was not called or did not answer (endpoint, budget), rather than answering badly
     * @param repeats    the earlier program it repeats, when that is why it was not evaluated
     * @param variant    what the model's prompt asked for; empty for offline and tuned proposals
     */
    public record FailedProposal(String island, long sequence, String parentId, String generator, String reason,
                                 Usage usage, boolean callFailed, Optional<Island.Repeat> repeats,
                                 Optional<PromptVariant> variant) {

        public FailedProposal(String island, long sequence, String parentId, String generator, String reason,
                              Usage usage, boolean callFailed) {
            this(island, sequence, parentId, generator, reason, usage, callFailed, Optional.empty(), Optional.empty());
        }

        public Island.ProposalFailed.Kind kind() {
            return Island.ProposalFailed.kind(callFailed, repeats);
        }
    }

    /** The outcome of one evaluation. */
    public record Evaluation(EvaluationStatus status, double score, Map<String, Double> metrics, String feedback,
                             String split, long elapsedMillis, String worker, long timestampMillis,
                             Optional<String> isolation) {
    }

    /**
     * One proposed candidate; {@code evaluation} is empty while it is in flight.
     *
     * @param variant what the model's prompt asked for; empty for the seed, offline and tuned children
     */
    public record Candidate(String candidateId, String island, long sequence, String code, Optional<String> parentId,
                            String generator, String summary, Usage usage, Optional<Evaluation> evaluation,
                            Optional<Evaluation> test, Optional<PromptVariant> variant) {

        public Candidate(String candidateId, String island, long sequence, String code, Optional<String> parentId,
                         String generator, String summary, Usage usage, Optional<Evaluation> evaluation,
                         Optional<Evaluation> test) {
            this(candidateId, island, sequence, code, parentId, generator, summary, usage, evaluation, test,
                    Optional.empty());
        }

        public boolean succeeded() {
            return evaluation.map(e -> e.status().succeeded()).orElse(false);
        }

        Candidate evaluated(Evaluation outcome) {
            return new Candidate(candidateId, island, sequence, code, parentId, generator, summary, usage,
                    Optional.of(outcome), test, variant);
        }

        /**
         * The candidate without its code, feedback and TRAIN metrics (a task may report hundreds) but those
         * named in {@code keep} (the run's objectives), which a reader can bring back from the journal.
         */
        Candidate withoutText(Set<String> keep) {
            return new Candidate(candidateId, island, sequence, "", parentId, generator, summary, usage,
                    evaluation.map(e -> new Evaluation(e.status(), e.score(), kept(e.metrics(), keep), "", e.split(),
                            e.elapsedMillis(), e.worker(), e.timestampMillis(), e.isolation())), test, variant);
        }

        private static Map<String, Double> kept(Map<String, Double> metrics, Set<String> keep) {
            Map<String, Double> kept = new LinkedHashMap<>();
            keep.forEach(name -> Optional.ofNullable(metrics.get(name)).ifPresent(v -> kept.put(name, v)));
            return kept.isEmpty() ? Map.of() : Collections.unmodifiableMap(kept);
        }

        Candidate tested(Evaluation outcome) {
            return new Candidate(candidateId, island, sequence, code, parentId, generator, summary, usage, evaluation,
                    Optional.of(outcome), variant);
        }
    }

    /** An event of an island as the journal holds it, with the time it was written. */
    public record StoredEvent(Object event, long timestampMillis) {
    }

    /** Reads the run's events and those of its islands. */
    public static RunHistory load(ActorSystem<?> system, String runId, Duration timeout) {
        return new Reader(system, runId).read(timeout);
    }

    /** The history of a run from its events and, per island id, the island's stored events in order. */
    public static RunHistory of(List<Run.Event> runEvents, Function<String, List<StoredEvent>> islandEvents) {
        Builder builder = new Builder(false);
        runEvents.forEach(builder::addRunEvent);
        builder.islandIds().forEach(islandId -> islandEvents.apply(islandId).forEach(e -> builder.addIslandEvent(islandId, 0, e)));
        return builder.build();
    }

    /**
     * Reads a run's history again and again, each time only the events journalled since the last read:
     * a client that refreshes its outputs while the run goes does not read the whole journal every time.
     *
     * <p>A reader lives as long as the run, so it keeps what a long run grows by small: once a history
     * with an evaluated candidate has been read, later histories hold that candidate without its code,
     * feedback and TRAIN metrics (what stays is the row the tables and the dashboard show, well under a
     * kilobyte, instead of the several or tens of kilobytes a candidate's text and metrics take), except
     * for the seeds and the best of the run and of each island. {@link #full} brings back any candidate
     * in full from the journal. The failed proposals that a client writing them out has had (see
     * {@link #readToWrite}) are counted rather than listed, but the last {@link #RECENT_FAILED}; so are the
     * evaluated candidates, but the last {@link #RECENT_EVALUATED}, the seeds, the bests, the front and the
     * {@link #TOP_SCORES} best scores ({@link RunHistory#evaluatedBefore()}), with every candidate's parent
     * and score kept for the lineage and what each generator earned ({@link CandidateLinks}: the newest on
     * the heap, the older in a scratch file). A reader's memory then stays the same however long the run
     * goes, but for 8 bytes per 1,024 proposals (where the file holds their links).
     */
    public static final class Reader {

        /**
         * Evaluated candidates a history holds whole, the most recently evaluated, when one read brings
         * more (a resumed run's first read brings them all): their text is what the candidate log may
         * still have to write, and the rest, hundreds of megabytes of a long run's metrics, would stay
         * until the next read, which waits ten times as long as this one took.
         */
        static final int WHOLE_PER_READ = 500;

        /** Best-scoring candidates a history lists however long ago they were evaluated: the tables show them. */
        static final int TOP_SCORES = 100;

        /**
         * Evaluated candidates a history lists at least, the most recently evaluated; those before them are
         * counted in {@link RunHistory#evaluatedBefore()} once a client had them (see {@link #readToWrite}),
         * but for the seeds, the bests, the front and the {@link #TOP_SCORES} best scores.
         */
        static final int RECENT_EVALUATED = 2_000;

        private final Journal journal;
        private final String runId;
        private final boolean written;
        private final Map<String, Long> lastSequenceNr = new TreeMap<>();
        private final Builder builder = new Builder(true);

        /** A reader for clients that only show what they read (a dashboard of another node's run). */
        public Reader(ActorSystem<?> system, String runId) {
            this(Journal.of(system), runId, false);
        }

        /**
         * A reader; {@code written}: a client writes out every candidate its histories list (the candidate log,
         * through {@link #readToWrite}), so only candidates such a read handed out are ever counted instead
         * of listed. Otherwise those any read handed out are.
         */
        public Reader(ActorSystem<?> system, String runId, boolean written) {
            this(Journal.of(system), runId, written);
        }

        Reader(Journal journal, String runId) {
            this(journal, runId, false);
        }

        Reader(Journal journal, String runId, boolean written) {
            this.journal = journal;
            this.runId = runId;
            this.written = written;
        }

        /**
         * Failed proposals a history lists at least, the most recent, once a client has written out those
         * before (see {@link #readToWrite}): the dashboard shows the last ones.
         */
        static final int RECENT_FAILED = 1_000;

        /** The history as the journal holds it now. */
        public RunHistory read(Duration timeout) {
            return read(timeout, false);
        }

        /**
         * The same, for a client that writes out every failed proposal a history lists (the candidate log):
         * those the last such read handed out, but the most recent {@link #RECENT_FAILED}, are then counted in
         * {@link RunHistory#failedBefore()} rather than listed. A long run fails a proposal for every repeat
         * its generator makes, often more than it evaluates.
         */
        public RunHistory readToWrite(Duration timeout) {
            return read(timeout, true);
        }

        private RunHistory read(Duration timeout, boolean written) {
            synchronized (builder) {
                restored.clear();
                missed.clear();
                if (written) {
                    builder.foldFailed(RECENT_FAILED);
                }
                if (written || !this.written) {
                    builder.count(RECENT_EVALUATED);
                }
                builder.compact();
                for (JournalEvent stored : since(Run.TYPE_KEY.name() + "|" + runId, timeout)) {
                    builder.addRunEvent((Run.Event) stored.event());
                }
                for (String islandId : builder.islandIds()) {
                    for (JournalEvent stored : since(islandPersistenceId(islandId), timeout)) {
                        builder.addIslandEvent(islandId, stored.sequenceNr(),
                                new StoredEvent(stored.event(), stored.timestampMillis()));
                    }
                }
                builder.stripOlderThanRecent(WHOLE_PER_READ);
                for (String id : builder.restore) {
                    builder.candidates.put(id, full(builder.candidates.get(id), timeout));
                    builder.places.get(id).stripped = false;
                }
                builder.restore.clear();
                RunHistory history = builder.build();
                if (written) {
                    builder.failedWritten = builder.failedProposals.size();
                }
                if (written || !this.written) {
                    builder.countable();
                }
                return history;
            }
        }

        /**
         * The candidate with its code and feedback, read back from the journal if this reader let them
         * go; a candidate this reader did not read comes back as it is.
         */
        public Candidate full(Candidate candidate, Duration timeout) {
            Place place;
            synchronized (builder) {
                place = builder.places.get(candidate.candidateId());
            }
            if (place == null || !place.stripped) {
                return candidate;
            }
            Restored text = restored.getOrDefault(candidate.island(), Map.of()).get(candidate.candidateId());
            if (text == null || text.proposed() != place.proposed || text.evaluated() != place.evaluated) {
                // a first look (the dashboard's page of one candidate) reads the candidate's events alone
                text = readWindow(candidate.island(), place, missed.add(candidate.island()) ? 1 : FULL_WINDOW, timeout);
            }
            Optional<Evaluation> evaluation = candidate.evaluation();
            if (evaluation.isPresent() && place.evaluated > 0 && text.metrics() != null) {
                Evaluation was = evaluation.get();
                evaluation = Optional.of(new Evaluation(was.status(), was.score(), text.metrics(), text.feedback(),
                        was.split(), was.elapsedMillis(), was.worker(), was.timestampMillis(), was.isolation()));
            }
            return new Candidate(candidate.candidateId(), candidate.island(), candidate.sequence(),
                    text.code() == null ? candidate.code() : text.code(), candidate.parentId(), candidate.generator(),
                    candidate.summary(), candidate.usage(), evaluation, candidate.test(), candidate.variant());
        }

        /**
         * Events of an island's journal {@link #full} reads at once: the candidate log brings back candidates in
         * the order they were evaluated, so one read serves the island's next ones too, instead of two reads
         * of one event each per candidate (a resumed fast run's log has tens of thousands to bring back).
         */
        static final int FULL_WINDOW = 1_000;

        /** The text {@link #full} read of a candidate, with where it read it; {@code null} what it did not find. */
        private record Restored(long proposed, long evaluated, String code, Map<String, Double> metrics,
                                String feedback) {
        }

        /** Per island, the text its last window of {@link #full} read, kept till the next read: one window each. */
        private final Map<String, Map<String, Restored>> restored = new java.util.concurrent.ConcurrentHashMap<>();

        /** The islands {@link #full} read a candidate of since the last read: the next reads a whole window. */
        private final Set<String> missed = java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** Reads the window of the island's journal from the candidate's proposal on, keeping the stripped ones' text. */
        private Restored readWindow(String island, Place place, int size, Duration timeout) {
            String persistenceId = islandPersistenceId(island);
            long from = place.proposed;
            long to = from + size - 1;
            List<JournalEvent> read = new ArrayList<>(journal.events(persistenceId, from, to, timeout));
            if (place.evaluated > to) {
                // evaluated long after it was proposed (a migrant evaluated again): its one event as well
                read.addAll(journal.events(persistenceId, place.evaluated, place.evaluated, timeout));
            }
            Set<String> code = new HashSet<>();
            Map<Long, Object> events = new HashMap<>();
            for (JournalEvent stored : read) {
                if (stored.event() instanceof Island.CandidateProposed e) {
                    code.add(e.candidateId());
                    events.put(stored.sequenceNr(), e);
                } else if (stored.event() instanceof Island.CandidateEvaluated e) {
                    events.put(stored.sequenceNr(), e);
                }
            }
            Map<String, Restored> window = new HashMap<>();
            Restored mine = null;
            synchronized (builder) {
                for (String id : code) {
                    Place p = builder.places.get(id);
                    if (p == null || !p.stripped || !(events.get(p.proposed) instanceof Island.CandidateProposed e)
                            || !e.candidateId().equals(id)) {
                        continue;
                    }
                    Island.CandidateEvaluated last = p.evaluated > 0
                            && events.get(p.evaluated) instanceof Island.CandidateEvaluated ev
                            && ev.candidateId().equals(id) ? ev : null;
                    if (p.evaluated > 0 && last == null && p != place) {
                        continue; // its evaluation lies past the window: read with its own window
                    }
                    Restored r = new Restored(p.proposed, p.evaluated, e.code(), last == null ? null : last.metrics(),
                            last == null ? null : last.feedback());
                    if (p == place) {
                        mine = r;
                    } else {
                        window.put(id, r);
                    }
                }
            }
            restored.put(island, window);
            return mine != null ? mine : new Restored(place.proposed, place.evaluated, null, null, null);
        }

        private List<JournalEvent> since(String persistenceId, Duration timeout) {
            long from = lastSequenceNr.getOrDefault(persistenceId, 0L) + 1;
            List<JournalEvent> events = journal.events(persistenceId, from, Long.MAX_VALUE, timeout);
            if (!events.isEmpty()) {
                lastSequenceNr.put(persistenceId, events.get(events.size() - 1).sequenceNr());
            }
            return events;
        }
    }

    private static String islandPersistenceId(String islandId) {
        return Island.TYPE_KEY.name() + "|" + islandId;
    }

    /** An event as the journal holds it: its place in its entity's journal, the event and when it was written. */
    record JournalEvent(long sequenceNr, Object event, long timestampMillis) {
    }

    /** Where a reader reads events: the node's journal, or a test's list. */
    interface Journal {

        /** The events of {@code persistenceId} from {@code from} to {@code to} (both included), in order. */
        List<JournalEvent> events(String persistenceId, long from, long to, Duration timeout);

        static Journal of(ActorSystem<?> system) {
            JdbcReadJournal journal = PersistenceQuery.get(system)
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            return (persistenceId, from, to, timeout) -> RunHistory.read(system, journal, persistenceId, from, to, timeout)
                    .stream().map(e -> new JournalEvent(e.sequenceNr(), e.event(), e.timestamp())).toList();
        }
    }

    /** Where a candidate's events are in its island's journal, and whether the reader let its text go. */
    private static final class Place {
        private long proposed;
        private long evaluated;
        private boolean stripped;
    }

    /** Folds a run's events, and its islands' in journal order, into a history; shared by both ways of reading. */
    private static final class Builder {

        private final List<Run.Event> runEvents = new ArrayList<>();
        private final Map<String, Candidate> candidates = new LinkedHashMap<>();
        private final Map<String, Integer> evaluations = new TreeMap<>();
        private final List<FailedProposal> failedProposals = new ArrayList<>();
        /** The failed proposals no longer listed, and how many of those listed a writing client has had. */
        private FailedBefore failedBefore = FailedBefore.NONE;
        private int failedWritten;
        private Optional<RunSettings> settings = Optional.empty();
        private long migrants;
        private final Set<String> migrantIds = new TreeSet<>();
        /** Every candidate that became its island's best, with its constraint excess. */
        private final Map<String, Double> islandBests = new HashMap<>();
        private final Map<String, List<ReEvaluation>> reEvaluations = new TreeMap<>();
        /** A reader's: it keeps where each candidate's events are and lets go of text already read. */
        private final boolean lean;
        private final Map<String, Place> places = new HashMap<>();
        /** Candidates evaluated since the last history was built: their text goes at the next compaction. */
        private final List<String> evaluatedSinceBuild = new ArrayList<>();
        private final List<String> readOnce = new ArrayList<>();
        /** Candidates evaluated again after their text went; see {@link Reader#read}. */
        private final List<String> restore = new ArrayList<>();
        /** Candidates whose text was kept at a compaction (seeds and bests): looked at again at the next. */
        private final Set<String> kept = new HashSet<>();
        /** One instance per distinct short text (generators, workers, metric names), not one per event. */
        private final Map<String, String> texts = new HashMap<>();
        private final CandidateLinks links = new CandidateLinks();
        /** A reader's: the evaluated candidates it counts rather than lists. */
        private final EvaluatedBefore.Tally tally = new EvaluatedBefore.Tally();
        /**
         * The evaluated candidates the last history that may be counted next listed and did not count, in the
         * order it listed them (see {@link Reader#read}).
         */
        private List<String> countable = List.of();
        private List<String> lastListed = List.of();

        Builder(boolean lean) {
            this.lean = lean;
        }

        /** Counts, rather than lists, the failed proposals a writing client has had, but the {@code recent} last. */
        void foldFailed(int recent) {
            int folded = Math.min(failedWritten, failedProposals.size() - recent);
            if (folded <= 0) {
                return;
            }
            List<FailedProposal> oldest = failedProposals.subList(0, folded);
            failedBefore = failedBefore.plus(oldest);
            oldest.clear();
            failedWritten -= folded;
        }

        /**
         * Lets go of the code and feedback of candidates a built history already held, except the seeds
         * and the best of the run and of each island, which the outputs write again and again.
         */
        void compact() {
            if (!lean || (readOnce.isEmpty() && kept.isEmpty())) {
                return;
            }
            Set<String> keep = keep();
            List<String> looked = new ArrayList<>(readOnce);
            looked.addAll(kept);
            readOnce.clear();
            kept.clear();
            for (String id : looked) {
                strip(id, keep);
            }
        }

        /**
         * Lets go of the text of candidates evaluated since the last history but the {@code whole} most
         * recently evaluated, except the seeds and bests.
         */
        void stripOlderThanRecent(int whole) {
            if (!lean || evaluatedSinceBuild.size() <= whole) {
                return;
            }
            List<Candidate> evaluated = new ArrayList<>();
            for (String id : new HashSet<>(evaluatedSinceBuild)) {
                Candidate c = candidates.get(id);
                if (c != null && c.evaluation().isPresent()) {
                    evaluated.add(c);
                }
            }
            if (evaluated.size() <= whole) {
                return;
            }
            evaluated.sort(Comparator.comparingLong((Candidate c) -> c.evaluation().get().timestampMillis())
                    .thenComparing(Candidate::island).thenComparingLong(Candidate::sequence));
            Set<String> keep = keep();
            for (Candidate c : evaluated.subList(0, evaluated.size() - whole)) {
                strip(c.candidateId(), keep);
            }
        }

        /** Drops the text of candidate {@code id} unless {@code keep} holds it, which it then looks at again. */
        private void strip(String id, Set<String> keep) {
            Candidate c = candidates.get(id);
            Place place = places.get(id);
            if (c == null || place == null || place.stripped) {
                return;
            }
            if (keep.contains(id)) {
                kept.add(id);
            } else {
                candidates.put(id, c.withoutText(objectiveMetrics()));
                place.stripped = true;
            }
        }

        /** The metrics of the run's Pareto objectives, which a candidate keeps without its text; none in score mode. */
        private Set<String> objectiveMetrics() {
            return paretoObjectives(settings)
                    .map(o -> o.objectives().stream().map(Objectives.Objective::name).collect(Collectors.toSet()))
                    .orElse(Set.of());
        }

        /** The seeds, and the best of the run and of each island: the outputs write them again and again. */
        private Set<String> keep() {
            Set<String> keep = new HashSet<>();
            Map<String, Candidate> bestPerIsland = new HashMap<>();
            Candidate best = null;
            for (Candidate c : candidates.values()) {
                if (c.parentId().isEmpty()) {
                    keep.add(c.candidateId());
                }
                if (c.succeeded()) {
                    bestPerIsland.merge(c.island(), c, (a, b) -> better(b, a) ? b : a);
                    best = best == null || better(c, best) ? c : best;
                }
            }
            bestPerIsland.values().forEach(c -> keep.add(c.candidateId()));
            keep.addAll(islandBests.keySet()); // with constraints on, the best is one of them, whatever its score
            // the Pareto front's programs are written out too; a program once dominated never rejoins it
            paretoFront(settings, candidates.values()).forEach(c -> keep.add(c.candidateId()));
            if (best != null) {
                keep.add(best.candidateId());
            }
            return keep;
        }

        private String text(String value) {
            return value.length() > 64 ? value : texts.computeIfAbsent(value, v -> v);
        }

        /** The parent as its own row holds its id: one string per candidate, not two. */
        private Optional<String> parent(Optional<String> parentId) {
            return parentId.map(id -> {
                Candidate parent = candidates.get(id);
                return parent == null ? id : parent.candidateId();
            });
        }

        /** The offline engine's proposals use nothing: one instance for all of them. */
        private static Usage usage(Usage usage) {
            return usage.equals(Usage.NONE) ? Usage.NONE : usage;
        }

        private Map<String, Double> metrics(Map<String, Double> metrics) {
            if (!lean) {
                return metrics;
            }
            Map<String, Double> shared = new LinkedHashMap<>();
            metrics.forEach((name, value) -> shared.put(text(name), value));
            return Collections.unmodifiableMap(shared);
        }

        void addRunEvent(Run.Event event) {
            if (lean && onlyTime(event)) {
                // one per evaluation (or idle minute), read for the run's elapsed time and each island's last
                // report: a reader keeps the latest of each island, and of the clock
                int island = islandOf(event);
                runEvents.removeIf(e -> onlyTime(e) && islandOf(e) == island && e.elapsedMillis() <= event.elapsedMillis());
                if (runEvents.stream().anyMatch(e -> onlyTime(e) && islandOf(e) == island)) {
                    return; // an earlier one went further
                }
            }
            runEvents.add(event);
            if (settings.isEmpty() && event instanceof Run.RunStarted started) {
                settings = Optional.of(started.settings());
                islandIds().forEach(links::island);
            } else if (event instanceof Run.BudgetExtended e) {
                // the settings now: with every budget extension of resume --iterations/--wall-clock
                settings = settings.map(s -> s.extended(Optional.of(e.iterations()), Optional.of(e.wallClockMillis())));
            }
        }

        /** The island a progress event reports on; -1 for the clock. */
        private static int islandOf(Run.Event event) {
            return event instanceof Run.ProgressRecorded p ? p.report().islandNo() : -1;
        }

        /** Events a history reads only for the run's elapsed time and the islands' last reports. */
        private static boolean onlyTime(Run.Event event) {
            return event instanceof Run.ProgressRecorded || event instanceof Run.ClockAdvanced;
        }

        List<String> islandIds() {
            List<String> ids = new ArrayList<>();
            settings.ifPresent(s -> {
                for (int n = 0; n < s.islands(); n++) {
                    ids.add(s.islandId(n));
                }
            });
            return ids;
        }

        void addIslandEvent(String islandId, long sequenceNr, StoredEvent stored) {
            Object event = stored.event();
            if (event instanceof Island.CandidateProposed e) {
                candidates.put(e.candidateId(), new Candidate(e.candidateId(), islandId, e.sequence(), e.code(),
                        lean ? parent(e.parentId()) : e.parentId(), lean ? text(e.generator()) : e.generator(),
                        e.summary(), lean ? usage(e.usage()) : e.usage(), Optional.empty(), Optional.empty(), e.variant()));
                if (lean) {
                    places.computeIfAbsent(e.candidateId(), id -> new Place()).proposed = sequenceNr;
                }
                links.proposed(e.candidateId(), e.parentId());
            } else if (event instanceof Island.CandidateEvaluated e) {
                Candidate was = candidates.get(e.candidateId());
                links.evaluated(e.candidateId(), e.status().succeeded(), e.score());
                if (lean && was == null) {
                    return; // counted and no longer listed (evaluated again elsewhere: its first outcome counts)
                }
                evaluations.merge(e.candidateId(), 1, Integer::sum);
                if (was != null) {
                    candidates.put(e.candidateId(), was.evaluated(new Evaluation(e.status(), e.score(),
                            metrics(e.metrics()), e.feedback(), lean ? text(e.split()) : e.split(), e.elapsedMillis(),
                            lean ? text(e.worker()) : e.worker(), stored.timestampMillis(),
                            lean ? e.isolation().map(this::text) : e.isolation())));
                    Place place = places.get(e.candidateId());
                    if (place != null) {
                        place.evaluated = sequenceNr;
                        evaluatedSinceBuild.add(e.candidateId());
                        if (place.stripped) {
                            // evaluated again after its text went: its reader brings the text back before the
                            // next history, which may show it as a best
                            restore.add(e.candidateId());
                        }
                    }
                }
            } else if (event instanceof Island.TestEvaluated e) {
                candidates.computeIfPresent(e.candidateId(), (id, c) -> c.tested(new Evaluation(e.status(),
                        e.score(), metrics(e.metrics()), "", "TEST", 0, "", stored.timestampMillis(), Optional.empty())));
            } else if (event instanceof Island.ProposalFailed e) {
                String reason = lean && e.reason().length() > CandidateLog.MAX_TEXT_CHARS
                        ? e.reason().substring(0, CandidateLog.MAX_TEXT_CHARS) + "..." : e.reason();
                failedProposals.add(new FailedProposal(islandId, e.sequence(),
                        lean ? parent(Optional.of(e.parentId())).orElseThrow() : e.parentId(),
                        lean ? text(e.generator()) : e.generator(), reason, lean ? usage(e.usage()) : e.usage(),
                        e.callFailed(), e.repeats(), e.variant()));
            } else if (event instanceof Island.MigrantsAccepted e) {
                migrants += e.programs().size();
                e.programs().forEach(p -> migrantIds.add(p.candidateId()));
            } else if (event instanceof Island.MigrantsArrived e) {
                migrants += e.programs().size();
                e.programs().forEach(p -> migrantIds.add(p.candidateId()));
            } else if (event instanceof Island.BestChanged e) {
                islandBests.put(e.candidateId(), e.excess());
            } else if (event instanceof Island.CandidateReEvaluated e) {
                reEvaluations.computeIfAbsent(e.candidateId(), id -> new ArrayList<>()).add(new ReEvaluation(e.repeat(),
                        e.status(), e.score(), e.split(), e.elapsedMillis(), lean ? text(e.worker()) : e.worker(),
                        stored.timestampMillis()));
            }
        }

        RunHistory build() {
            readOnce.addAll(evaluatedSinceBuild);
            evaluatedSinceBuild.clear();
            List<Candidate> ordered = new ArrayList<>(candidates.values());
            ordered.sort(Comparator.comparingLong((Candidate c) -> c.evaluation().map(Evaluation::timestampMillis)
                    .orElse(Long.MAX_VALUE)).thenComparing(Candidate::island).thenComparingLong(Candidate::sequence));
            Map<String, List<ReEvaluation>> repeats = new TreeMap<>();
            reEvaluations.forEach((id, list) -> repeats.put(id, List.copyOf(list)));
            if (lean) {
                lastListed = ordered.stream().filter(c -> c.evaluation().isPresent() && !tally.held.contains(c.candidateId()))
                        .map(Candidate::candidateId).toList();
            }
            return new RunHistory(settings, List.copyOf(runEvents), ordered, List.copyOf(failedProposals),
                    new TreeMap<>(evaluations), migrants, Set.copyOf(migrantIds), Map.copyOf(islandBests),
                    Collections.unmodifiableMap(repeats), failedBefore, lean ? tally.snapshot() : EvaluatedBefore.NONE,
                    links);
        }

        /** The candidates the last history listed may be counted at the next {@link #count}. */
        void countable() {
            countable = lastListed;
        }

        /**
         * Counts, rather than lists, the evaluated candidates made {@link #countable} but the {@code recent} last;
         * those {@link #keep} names stay listed (and counted), and listed ones counted before that it no longer
         * names go.
         */
        void count(int recent) {
            int counted = countable.size() - recent;
            if (!lean || (counted <= 0 && tally.held.isEmpty())) {
                return;
            }
            Set<String> keep = keep();
            keep.addAll(topScores());
            for (String id : countable.subList(0, Math.max(0, counted))) {
                Candidate c = candidates.get(id);
                if (c == null || c.evaluation().isEmpty() || tally.held.contains(id)) {
                    continue;
                }
                tally.add(c, links);
                tally.held.add(id);
            }
            countable = counted <= 0 ? countable : List.copyOf(countable.subList(counted, countable.size()));
            for (java.util.Iterator<String> held = tally.held.iterator(); held.hasNext(); ) {
                String id = held.next();
                if (!keep.contains(id)) {
                    held.remove();
                    candidates.remove(id);
                    places.remove(id);
                    evaluations.remove(id);
                    kept.remove(id);
                }
            }
        }

        /** The {@link Reader#TOP_SCORES} best scores of those listed: the tables show them. */
        private Set<String> topScores() {
            Set<String> top = new HashSet<>();
            candidates.values().stream().filter(c -> c.succeeded() && Double.isFinite(c.evaluation().get().score()))
                    .sorted(Comparator.comparingDouble((Candidate c) -> c.evaluation().get().score()).reversed())
                    .limit(Reader.TOP_SCORES).forEach(c -> top.add(c.candidateId()));
            return top;
        }
    }

    private static List<EventEnvelope> read(ActorSystem<?> system, JdbcReadJournal journal, String persistenceId,
                                            long fromSequenceNr, long toSequenceNr, Duration timeout) {
        try {
            return journal.currentEventsByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr)
                    .runWith(Sink.seq(), system).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the journal of " + persistenceId + ": " + e, e);
        }
    }

    public long failedProposals() {
        return failedBefore.count() + proposalFailures.size();
    }

    /** Proposals not evaluated because they repeated an earlier program up to layout and comments. */
    public long duplicates() {
        return failedBefore.duplicates()
                + proposalFailures.stream().filter(f -> f.repeats().map(Island.Repeat::exact).orElse(false)).count();
    }

    /** Proposals not evaluated because they were nearly the same as a program shown with them. */
    public long nearDuplicates() {
        return failedBefore.nearDuplicates()
                + proposalFailures.stream().filter(f -> f.repeats().map(r -> !r.exact()).orElse(false)).count();
    }

    /** How many proposals failed for each reason, by the reason's first line ({@code report.html}'s table). */
    public Map<String, Long> proposalFailureReasons() {
        Map<String, Long> reasons = new TreeMap<>(failedBefore.reasons());
        proposalFailures.forEach(f -> reasons.merge(RunReport.firstLine(f.reason()), 1L, Long::sum));
        return reasons;
    }

    /**
     * Tokens and dollars per model over every proposal, failed ones included; a call counts when the
     * model answered (a call that never came back has no usage).
     */
    public Map<String, CostTracker.ModelTotals> spending() {
        Map<String, CostTracker.ModelTotals> perModel = new TreeMap<>(failedBefore.spending());
        evaluatedBefore.spending().forEach((model, t) -> perModel.merge(model, t, CostTracker.ModelTotals::plus));
        uncounted().forEach(c -> charge(perModel, c.generator(), c.usage()));
        proposalFailures.forEach(f -> charge(perModel, f.generator(), f.usage()));
        return perModel;
    }

    /**
     * What a model's children earned: how many were evaluated, how many scored above their parent, and by
     * how much in all (the improvements {@code model-choice = bandit} rewards).
     */
    public record Earned(long children, long improved, double improvement) {

        Earned plus(Earned other) {
            return new Earned(children + other.children, improved + other.improved, improvement + other.improvement);
        }
    }

    /**
     * What evaluated child {@code c} earned over its parent ({@code links} give the parent's score); empty for
     * a seed.
     */
    static Optional<Earned> earnedBy(Candidate c, CandidateLinks links) {
        if (c.evaluation().isEmpty() || c.parentId().isEmpty()) {
            return Optional.empty();
        }
        Optional<Double> parentScore = links.score(c.parentId().get());
        double gain = c.succeeded() && parentScore.isPresent()
                ? Math.max(0, c.evaluation().get().score() - parentScore.get()) : 0;
        return Optional.of(new Earned(1, gain > 0 ? 1 : 0, gain));
    }

    /** An island's best TRAIN score rising to {@code score} at evaluation {@code x} (1, 2, ...), by {@code candidateId}. */
    public record Step(long x, double score, String candidateId) {
    }

    /** Each island's best-so-far steps over the run's {@code evaluations}, in the order they were evaluated. */
    public record Progress(long evaluations, Map<String, List<Step>> steps) {

        static final Progress NONE = new Progress(0, Map.of());
    }

    /** Walks evaluated candidates in order and keeps each island's steps. */
    static final class ProgressWalk {

        private long x;
        private final Map<String, List<Step>> steps = new TreeMap<>();

        ProgressWalk() {
        }

        ProgressWalk(Progress from) {
            x = from.evaluations();
            from.steps().forEach((island, list) -> steps.put(island, new ArrayList<>(list)));
        }

        void add(Candidate c) {
            x++;
            if (!c.succeeded() || !Double.isFinite(c.evaluation().orElseThrow().score())) {
                return;
            }
            double score = c.evaluation().orElseThrow().score();
            List<Step> line = steps.computeIfAbsent(c.island(), k -> new ArrayList<>());
            if (line.isEmpty() || score > line.get(line.size() - 1).score()) {
                line.add(new Step(x, score, c.candidateId()));
            }
        }

        Progress snapshot() {
            Map<String, List<Step>> copy = new LinkedHashMap<>();
            steps.forEach((island, line) -> copy.put(island, List.copyOf(line)));
            return new Progress(x, Collections.unmodifiableMap(copy));
        }
    }

    /**
     * Each island's best TRAIN score so far, step by step, over every evaluation of the run in the order they
     * were evaluated (those the history counts and those it lists).
     */
    public Progress progress() {
        ProgressWalk walk = new ProgressWalk(evaluatedBefore.progress());
        uncounted().filter(c -> c.evaluation().isPresent()).forEach(walk::add);
        return walk.snapshot();
    }

    /**
     * The candidates the history lists that its {@link #evaluatedBefore()} totals do not count: the totals
     * and these make the whole run.
     */
    private java.util.stream.Stream<Candidate> uncounted() {
        return evaluatedBefore.held().isEmpty() ? candidates.stream()
                : candidates.stream().filter(c -> !evaluatedBefore.counts(c.candidateId()));
    }

    /**
     * The evaluated candidates the history lists and its totals do not count yet, in the order they were
     * evaluated: the most recent ones (all of them in a history that counts none).
     */
    public List<Candidate> recent() {
        return uncounted().filter(c -> c.evaluation().isPresent()).toList();
    }

    /** How many candidates were evaluated, listed or counted. */
    public long evaluatedCount() {
        return evaluatedBefore.evaluated() + uncounted().filter(c -> c.evaluation().isPresent()).count();
    }

    /** How many candidates each island evaluated. */
    public Map<String, Long> evaluatedPerIsland() {
        Map<String, Long> perIsland = new TreeMap<>(evaluatedBefore.perIsland());
        uncounted().filter(c -> c.evaluation().isPresent()).forEach(c -> perIsland.merge(c.island(), 1L, Long::sum));
        return perIsland;
    }

    /** Evaluated candidates by status, succeeded ones included. */
    public Map<String, Long> statuses() {
        Map<String, Long> byStatus = new TreeMap<>(evaluatedBefore.statuses());
        uncounted().filter(c -> c.evaluation().isPresent())
                .forEach(c -> byStatus.merge(c.evaluation().get().status().name(), 1L, Long::sum));
        return byStatus;
    }

    /** What each generator's evaluated children earned over their parents, by generator; seeds have no parent. */
    public Map<String, Earned> earned() {
        return earned(evaluatedBefore.earned(), c -> Optional.of(c.generator()));
    }

    /** The same by prompt variant ({@code improve}, {@code fix}, {@code crossover}): which variant pays. */
    public Map<String, Earned> earnedByVariant() {
        return earned(evaluatedBefore.earnedByVariant(), c -> c.variant().map(PromptVariant::key));
    }

    private Map<String, Earned> earned(Map<String, Earned> before, Function<Candidate, Optional<String>> by) {
        Map<String, Earned> perKey = new TreeMap<>(before);
        uncounted().forEach(c -> by.apply(c).ifPresent(key -> earnedBy(c, links)
                .ifPresent(gain -> perKey.merge(key, gain, Earned::plus))));
        return perKey;
    }

    static void charge(Map<String, CostTracker.ModelTotals> perModel, String model, Usage usage) {
        if (!usage.equals(Usage.NONE)) {
            perModel.merge(model, CostTracker.ModelTotals.NONE.plus(usage), CostTracker.ModelTotals::plus);
        }
    }

    public List<Candidate> evaluated() {
        return candidates.stream().filter(c -> c.evaluation().isPresent()).toList();
    }

    /**
     * How many evaluations ran under each isolation ({@code bwrap}, {@code none (...)}); evaluations
     * journalled before workers reported it count as {@code unknown}.
     */
    public Map<String, Long> isolations() {
        Map<String, Long> counts = new TreeMap<>(evaluatedBefore.isolations());
        for (Candidate candidate : recent()) {
            counts.merge(candidate.evaluation().flatMap(Evaluation::isolation).orElse("unknown"), 1L, Long::sum);
        }
        return counts;
    }

    /** Evaluations that ran without a jail: a run whose workers say {@code isolation = none}. */
    public long unjailed() {
        return evaluatedBefore.unjailed() + recent().stream().filter(c -> c.evaluation().flatMap(Evaluation::isolation)
                .map(isolation -> isolation.startsWith(NO_JAIL)).orElse(false)).count();
    }

    /** How many candidates were proposed (evaluated or in flight), listed or counted. */
    public long proposed() {
        return evaluatedBefore.evaluated() + uncounted().count();
    }

    public long inFlight() {
        return candidates.stream().filter(c -> c.evaluation().isEmpty()).count();
    }

    /** Evaluated candidates that failed, by status. */
    public Map<String, Long> failures() {
        Map<String, Long> byStatus = statuses();
        byStatus.keySet().removeIf(status -> EvaluationStatus.valueOf(status).succeeded());
        return byStatus;
    }

    /** The best evaluated candidate (ties: the lower island, then the earlier proposal, so a seed names one best). */
    public Optional<Candidate> best() {
        return bestOf(evaluated());
    }

    public Optional<Candidate> bestOf(String islandId) {
        return bestOf(evaluated().stream().filter(c -> c.island().equals(islandId)).toList());
    }

    /** Island by island, then by sequence: an order that does not depend on when results arrived. */
    private static final Comparator<Candidate> PROPOSAL_ORDER =
            Comparator.comparing(Candidate::island).thenComparingLong(Candidate::sequence);

    /**
     * The best of {@code candidates}. On a stochastic task it is chosen among the islands' bests (a program
     * that never became one may have had one lucky score), each scored by the mean of its evaluations.
     */
    private Optional<Candidate> bestOf(List<Candidate> candidates) {
        Candidate best = null;
        boolean constrained = constrained();
        boolean stochastic = stochastic();
        for (Candidate held : candidates) {
            Candidate c = stochastic ? withMean(held) : held;
            if (!c.succeeded() || ((constrained || stochastic) && !islandBestExcess.containsKey(c.candidateId()))) {
                continue;
            }
            if (best == null || (constrained ? feasibleFirst(c, best) : better(c, best))) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Whether the run ranks feasible programs first ({@code galapagos.islands.constraints}): its best is
     * then the islands' best that goes least past its limits, as the islands chose them.
     */
    private boolean constrained() {
        return !islandBestExcess.isEmpty()
                && settings.map(s -> s.island().constraints().active()).orElse(false);
    }

    /** The smaller constraint excess, then {@link #better}. */
    private boolean feasibleFirst(Candidate c, Candidate best) {
        double excess = islandBestExcess.get(c.candidateId());
        double bestExcess = islandBestExcess.get(best.candidateId());
        return excess < bestExcess || (excess == bestExcess && better(c, best));
    }

    /** Whether the run's task has a stochastic evaluator whose would-be bests are re-evaluated. */
    public boolean stochastic() {
        return settings.map(s -> s.island().noise().active()).orElse(false);
    }

    /**
     * The scores of every evaluation of a candidate that was re-evaluated (its first, then its re-evaluations
     * that succeeded); empty for a candidate evaluated once, or whose first evaluation failed.
     */
    public Optional<NoisyScore> samples(String candidateId) {
        List<ReEvaluation> repeats = reEvaluations.getOrDefault(candidateId, List.of());
        Optional<Candidate> candidate = candidates.stream().filter(c -> c.candidateId().equals(candidateId)).findFirst();
        if (repeats.isEmpty() || candidate.isEmpty() || !candidate.get().succeeded()) {
            return Optional.empty();
        }
        List<Double> scores = new ArrayList<>();
        scores.add(candidate.get().evaluation().get().score());
        repeats.stream().sorted(Comparator.comparingInt(ReEvaluation::repeat))
                .filter(r -> r.status().succeeded() && Double.isFinite(r.score())).forEach(r -> scores.add(r.score()));
        return Optional.of(new NoisyScore(scores));
    }

    /** {@code c} scored by the mean of its evaluations, if it was re-evaluated. */
    private Candidate withMean(Candidate c) {
        Optional<NoisyScore> samples = reEvaluations.containsKey(c.candidateId()) ? samples(c.candidateId())
                : Optional.empty();
        if (samples.isEmpty()) {
            return c;
        }
        Evaluation e = c.evaluation().orElseThrow();
        return c.evaluated(new Evaluation(e.status(), samples.get().mean(), e.metrics(), e.feedback(), e.split(),
                e.elapsedMillis(), e.worker(), e.timestampMillis(), e.isolation()));
    }

    /** How far an island's best went past its island's constraint limits (0: feasible, or no constraints). */
    public Optional<Double> constraintExcess(String candidateId) {
        return Optional.ofNullable(islandBestExcess.get(candidateId));
    }

    /** Whether succeeded {@code c} beats succeeded {@code best}: a higher score, or the same and proposed first. */
    private static boolean better(Candidate c, Candidate best) {
        double score = c.evaluation().get().score();
        double bestScore = best.evaluation().get().score();
        return score > bestScore || (score == bestScore && PROPOSAL_ORDER.compare(c, best) < 0);
    }

    /**
     * The evaluated programs that no other evaluated program dominates on the task's objectives, when the run
     * ranks by them ({@code galapagos.islands.objectives = pareto}); best first on the first objective. Empty
     * in {@code score} mode: its best is {@link #best()}.
     */
    public List<Candidate> front() {
        return paretoFront(settings, candidates);
    }

    /**
     * One point of the front: its objective values, the first program proposed there (island, then
     * sequence) and the other programs with the same values, which the offline engine makes many of.
     */
    public record FrontPoint(Map<String, Double> values, Candidate program, List<Candidate> equal) {
    }

    /** The front with programs of equal values folded into one point each, in {@link #front()}'s order. */
    public List<FrontPoint> frontPoints() {
        Optional<Objectives> objectives = paretoObjectives();
        List<FrontPoint> points = new ArrayList<>();
        for (Candidate c : front()) {
            Evaluation e = c.evaluation().orElseThrow();
            Map<String, Double> values = objectives.orElseThrow().values(e.score(), e.metrics());
            FrontPoint last = points.isEmpty() ? null : points.get(points.size() - 1);
            if (last != null && last.values().equals(values)) {
                List<Candidate> equal = new ArrayList<>(last.equal());
                equal.add(c);
                points.set(points.size() - 1, new FrontPoint(values, last.program(), List.copyOf(equal)));
            } else {
                points.add(new FrontPoint(values, c, List.of()));
            }
        }
        return points;
    }

    /** The objectives the front is over; empty in {@code score} mode. */
    public Optional<Objectives> paretoObjectives() {
        return paretoObjectives(settings);
    }

    private static Optional<Objectives> paretoObjectives(Optional<RunSettings> settings) {
        return settings.map(s -> s.island().objectives()).filter(Objectives::pareto);
    }

    private static List<Candidate> paretoFront(Optional<RunSettings> settings, Collection<Candidate> candidates) {
        Optional<Objectives> objectives = paretoObjectives(settings);
        if (objectives.isEmpty()) {
            return List.of();
        }
        // proposal order first, so that equal points come in an order that does not depend on arrival
        List<Candidate> succeeded = candidates.stream().filter(Candidate::succeeded).sorted(PROPOSAL_ORDER).toList();
        return Objectives.front(succeeded, c -> objectives.get().point(c.evaluation().get().score(),
                c.evaluation().get().metrics()));
    }

    /** The chain of ancestors of a candidate, itself first, back to its island's seed. */
    public List<String> lineage(String candidateId) {
        List<String> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Optional<String> next = Optional.of(candidateId);
        while (next.isPresent() && seen.add(next.get())) {
            chain.add(next.get());
            next = links.parent(next.get());
        }
        return chain;
    }

    /**
     * Where the run is as its journal tells: not started, running, stopping (asked to stop and not
     * completed since) or completed. A run whose process was killed reads as running.
     */
    public RunStatus.Phase phase() {
        if (settings.isEmpty()) {
            return RunStatus.Phase.NOT_STARTED;
        }
        if (completion().isPresent()) {
            return RunStatus.Phase.COMPLETED;
        }
        boolean stopping = false;
        for (Run.Event event : runEvents) {
            if (event instanceof Run.RunStopped) {
                stopping = true;
            } else if (event instanceof Run.BudgetExtended) {
                stopping = false;
            }
        }
        return stopping ? RunStatus.Phase.STOPPING : RunStatus.Phase.RUNNING;
    }

    /** When the run first started (epoch milliseconds), if it has. */
    public Optional<Long> startedAtMillis() {
        return runEvents.stream().filter(e -> e instanceof Run.RunStarted).map(e -> ((Run.RunStarted) e).startedAtEpochMillis())
                .findFirst();
    }

    /** How the run ended, if it did. */
    public Optional<String> completion() {
        Optional<String> completion = Optional.empty();
        for (Run.Event event : runEvents) {
            if (event instanceof Run.RunCompleted e && completion.isEmpty()) {
                completion = Optional.of(e.reason());
            } else if (event instanceof Run.BudgetExtended) {
                completion = Optional.empty(); // an extended run runs again
            }
        }
        return completion;
    }

    public long elapsedMillis() {
        return runEvents.stream().mapToLong(Run.Event::elapsedMillis).max().orElse(0);
    }
}
