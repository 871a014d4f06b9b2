package io.galapagos.controller.island;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SequencingTest {

    /**
     * The fingerprints of an island's proposals ({@link ProgramFingerprints}, immutable): checked
     * against a {@link HashMap} copied at every step, for the newest state and for each earlier one kept
     * (a state branched from an earlier one must not see the later fingerprints, nor change them).
     */
    @Test
    @Timeout(30)
    void firstProposedAnswersAsACopiedHashMapForEveryStateKept() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 20; round++) {
            List<Island.Sequencing> kept = new ArrayList<>();
            List<Map<Long, Long>> models = new ArrayList<>();
            Island.Sequencing now = Island.Sequencing.start();
            Map<Long, Long> model = new HashMap<>();
            int proposals = 1 + random.nextInt(2000);
            long fingerprints = 1 + random.nextInt(300); // small enough that programs repeat
            for (long sequence = 1; sequence <= proposals; sequence++) {
                long fingerprint = random.nextLong(fingerprints) - fingerprints / 2;
                if (random.nextInt(20) == 0 && !kept.isEmpty()) {
                    // branch from an earlier state, as a speculative apply of a command does
                    int from = random.nextInt(kept.size());
                    now = kept.get(from);
                    model = new HashMap<>(models.get(from));
                }
                Long first = model.get(fingerprint);
                assertThat(now.duplicateOf(fingerprint, sequence))
                        .isEqualTo(first != null && first < sequence ? Optional.of(first) : Optional.empty());
                now = now.proposed(fingerprint, sequence);
                model.putIfAbsent(fingerprint, sequence);
                if (random.nextInt(10) == 0) {
                    kept.add(now);
                    models.add(new HashMap<>(model));
                }
            }
            kept.add(now);
            models.add(model);
            for (int k = 0; k < kept.size(); k++) {
                assertThat(kept.get(k).firstProposed()).isEqualTo(models.get(k));
                for (long probe = -fingerprints; probe <= fingerprints; probe++) {
                    assertThat(kept.get(k).duplicateOf(probe, Long.MAX_VALUE))
                            .isEqualTo(Optional.ofNullable(models.get(k).get(probe)));
                }
            }
        }
    }

    @Test
    @Timeout(10)
    void aSequencingReadBackFromAPlainMapEqualsTheOneWritten() {
        Island.Sequencing written = Island.Sequencing.start().proposed(42L, 1).proposed(-7L, 2).proposed(42L, 3);
        Island.Sequencing read = new Island.Sequencing(written.nextToApply(), written.issued(), written.waiting(),
                written.due(), written.epochsApplied(), written.sent(), written.inbox(), written.upstreamEndsAt(),
                new LinkedHashMap<>(written.firstProposed())); // what the snapshot's deserializer hands over

        assertThat(read).isEqualTo(written);
        assertThat(read.proposed(5L, 4).duplicateOf(5L, 9)).contains(4L);
        assertThat(read.duplicateOf(42L, 9)).contains(1L);
    }
}
