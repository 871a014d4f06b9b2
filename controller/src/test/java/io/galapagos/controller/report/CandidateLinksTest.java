package io.galapagos.controller.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class CandidateLinksTest {

    private static final int ISLANDS = 3;
    private static final int PROPOSALS = 50_000;
    private static final int MOST_RESIDENT = ISLANDS * CandidateLinks.NEWEST_PAGES + CandidateLinks.CACHED_PAGES;

    /** What the links must answer: parents by id (empty for a seed), scores by id (NaN for a failed one). */
    private final Map<String, Optional<String>> parents = new HashMap<>();
    private final Map<String, Double> scores = new HashMap<>();
    private final CandidateLinks links = new CandidateLinks();
    private final Random random = new Random(7);

    @Test
    void aLongRunsLinksAnswerExactlyWhileOnlyTheNewestAndCachedPagesStayOnTheHeap() {
        for (int island = 0; island < ISLANDS; island++) {
            links.island("i" + island);
        }
        List<String> late = new ArrayList<>();
        List<String> inFlight = new ArrayList<>();
        for (int sequence = 0; sequence < PROPOSALS; sequence++) {
            for (int island = 0; island < ISLANDS; island++) {
                String id = "i" + island + "/" + sequence;
                if (sequence > 0 && random.nextInt(100) == 0) {
                    late.add(id); // proposed after its page has gone to the file
                    continue;
                }
                propose(id, sequence);
                if (random.nextInt(10) == 0) {
                    inFlight.add(id);
                } else {
                    evaluate(id);
                }
            }
            if (inFlight.size() > 20) {
                inFlight.forEach(this::evaluate);
                inFlight.clear();
            }
            if (sequence > 0 && random.nextInt(50) == 0) {
                // an old candidate evaluated again: its page is written back through the cache
                String again = "i" + random.nextInt(ISLANDS) + "/" + random.nextInt(sequence);
                if (parents.containsKey(again)) {
                    evaluate(again);
                }
            }
            if (sequence % 997 == 0) {
                assertThat(links.residentPages()).isLessThanOrEqualTo(MOST_RESIDENT);
                checkSome(sequence);
            }
        }
        assertThat(links.pagesOnFile()).isGreaterThan(ISLANDS * (long) PROPOSALS / CandidateLinks.PAGE_ENTRIES / 2);
        List<String> neverProposed = new ArrayList<>();
        for (int n = 0; n < late.size(); n++) {
            String id = late.get(n);
            if (n % 5 == 0) {
                neverProposed.add(id);
            } else {
                propose(id, Integer.parseInt(id.substring(id.indexOf('/') + 1)));
                if (n % 3 != 0) {
                    evaluate(id);
                }
            }
        }
        assertThat(links.residentPages()).isLessThanOrEqualTo(MOST_RESIDENT);

        for (int island = 0; island < ISLANDS; island++) {
            for (int sequence = 0; sequence < PROPOSALS; sequence++) {
                String id = "i" + island + "/" + sequence;
                if (parents.containsKey(id)) {
                    check(id);
                }
            }
        }
        for (String id : neverProposed) {
            assertThat(links.parent(id)).as(id).isEmpty();
            assertThat(links.score(id)).as(id).isEmpty();
        }
        assertThat(links.parent("i0/" + PROPOSALS)).isEmpty();
        assertThat(links.score("i2/" + (PROPOSALS + 5_000))).isEmpty();
        assertThat(links.residentPages()).isLessThanOrEqualTo(MOST_RESIDENT);
    }

    @Test
    void idsOfAnotherFormKeepTheirLinksBesideThePages() {
        links.island("i0");
        links.proposed("seed", Optional.empty());
        links.proposed("child", Optional.of("seed"));
        links.proposed("i0/0", Optional.of("child"));
        links.proposed("i0/1", Optional.of("i0/0"));
        links.proposed("elsewhere/4", Optional.of("i0/1"));
        links.evaluated("child", true, 0.5);
        links.evaluated("seed", false, 0.9);
        links.evaluated("i0/0", true, 0.25);

        assertThat(links.parent("i0/1")).contains("i0/0");
        assertThat(links.parent("i0/0")).contains("child");
        assertThat(links.parent("child")).contains("seed");
        assertThat(links.parent("seed")).isEmpty();
        assertThat(links.parent("elsewhere/4")).contains("i0/1");
        assertThat(links.score("child")).contains(0.5);
        assertThat(links.score("seed")).isEmpty();
        assertThat(links.score("i0/0")).contains(0.25);
        assertThat(links.score("i0/1")).isEmpty();
    }

    @Test
    void aHistoryBuiltFromAListKeepsItsLinksOnTheHeap() {
        List<RunHistory.Candidate> candidates = new ArrayList<>();
        for (int sequence = 0; sequence < 5 * CandidateLinks.PAGE_ENTRIES; sequence++) {
            candidates.add(candidate("i0", sequence, sequence == 0 ? Optional.empty() : Optional.of("i0/" + (sequence - 1)),
                    Optional.of(ok(sequence, Map.of(), sequence)), Optional.empty()));
        }

        CandidateLinks small = CandidateLinks.of(candidates);

        assertThat(small.pagesOnFile()).isZero();
        assertThat(small.parent("i0/3000")).contains("i0/2999");
        assertThat(small.score("i0/17")).contains(17.0);
    }

    private void propose(String id, int sequence) {
        Optional<String> parent = Optional.empty();
        if (sequence > 0) {
            // a recent parent mostly, sometimes an old one, of any island: migrants cross
            int from = random.nextInt(4) == 0 ? random.nextInt(sequence) : Math.max(0, sequence - 1 - random.nextInt(50));
            parent = Optional.of("i" + random.nextInt(ISLANDS) + "/" + from);
        }
        links.proposed(id, parent);
        parents.put(id, parent);
    }

    private void evaluate(String id) {
        boolean succeeded = random.nextInt(8) != 0;
        double score = random.nextDouble() * 100 - 50;
        links.evaluated(id, succeeded, score);
        scores.put(id, succeeded ? score : Double.NaN);
    }

    private void checkSome(int upTo) {
        for (int n = 0; n < 20; n++) {
            String id = "i" + random.nextInt(ISLANDS) + "/" + random.nextInt(upTo + 1);
            if (parents.containsKey(id)) {
                check(id);
            }
        }
    }

    private void check(String id) {
        assertThat(links.parent(id)).as(id).isEqualTo(parents.get(id));
        double score = scores.getOrDefault(id, Double.NaN);
        assertThat(links.score(id)).as(id).isEqualTo(Double.isNaN(score) ? Optional.empty() : Optional.of(score));
    }
}
