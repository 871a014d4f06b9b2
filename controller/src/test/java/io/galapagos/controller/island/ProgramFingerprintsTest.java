package io.galapagos.controller.island;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ProgramFingerprintsTest {

    @Test
    void keepsTheFirstSequenceOfEachFingerprintLikeAMap() {
        Random random = new Random(7);
        Map<Long, Long> expected = new HashMap<>();
        ProgramFingerprints grown = ProgramFingerprints.EMPTY;
        for (long sequence = 0; sequence < 2_000; sequence++) {
            long fingerprint = random.nextInt(1_500) * 0x9E3779B97F4A7C15L; // repeats, negative ones too
            expected.putIfAbsent(fingerprint, sequence);
            grown = grown.with(fingerprint, sequence);
        }
        ProgramFingerprints fingerprints = grown;

        assertThat(fingerprints).isEqualTo(expected).hasSameHashCodeAs(expected);
        expected.forEach((fingerprint, sequence) -> assertThat(fingerprints.get(fingerprint)).isEqualTo(sequence));
        assertThat(fingerprints.containsKey(12345L)).isEqualTo(expected.containsKey(12345L));
        assertThat(fingerprints.get("not a long")).isNull();
    }

    @Test
    void addingAFingerprintLeavesTheEarlierInstanceAsItWas() {
        ProgramFingerprints one = ProgramFingerprints.EMPTY.with(5, 1);
        ProgramFingerprints two = one.with(3, 2);

        assertThat(one).containsExactly(Map.entry(5L, 1L));
        assertThat(two).containsExactly(Map.entry(3L, 2L), Map.entry(5L, 1L));
        assertThat(two.with(5, 9)).isSameAs(two);
        assertThat(ProgramFingerprints.of(two)).isSameAs(two);
    }

    @Test
    void writesAndReadsAsTheMapOfBoxedLongsItReplaces() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProgramFingerprints fingerprints = ProgramFingerprints.EMPTY.with(-4, 7).with(99, 3);
        Map<Long, Long> asMap = new HashMap<>(Map.of(-4L, 7L, 99L, 3L));

        String written = json.writeValueAsString(fingerprints);
        Map<Long, Long> read = json.readValue(written, new TypeReference<Map<Long, Long>>() { });

        assertThat(json.readTree(written)).isEqualTo(json.readTree(json.writeValueAsString(asMap)));
        assertThat(ProgramFingerprints.of(read)).isEqualTo(fingerprints);
    }
}
