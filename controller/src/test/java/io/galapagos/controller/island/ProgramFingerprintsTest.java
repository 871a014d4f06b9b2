package io.galapagos.controller.island;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

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

    record Written(@JsonSerialize(using = ProgramFingerprints.Json.class) Map<Long, Long> entries) {
    }

    record WrittenByJackson(Map<Long, Long> entries) {
    }

    @Test
    void itsSerializerWritesTheBytesJacksonWritesForTheMap() throws Exception {
        Random random = new Random(11);
        ProgramFingerprints fingerprints = ProgramFingerprints.EMPTY;
        for (long sequence = 0; sequence < 3 * ProgramFingerprints.BLOCK + 100; sequence++) {
            fingerprints = fingerprints.with(random.nextLong(), sequence); // full blocks, a filling and a newest part
        }
        ObjectMapper cbor = new CBORMapper();

        byte[] own = cbor.writeValueAsBytes(new Written(fingerprints));

        assertThat(own).isEqualTo(cbor.writeValueAsBytes(new WrittenByJackson(fingerprints)));
        assertThat(cbor.writeValueAsBytes(new Written(new HashMap<>(Map.of(3L, 4L)))))
                .isEqualTo(cbor.writeValueAsBytes(new WrittenByJackson(new HashMap<>(Map.of(3L, 4L)))));
        assertThat(cbor.readValue(own, WrittenByJackson.class).entries()).isEqualTo(fingerprints);
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

    /**
     * A long run's island remembers its latest distinct programs only: checked against a model that numbers
     * every program put in and keeps those of the newest {@code BLOCKS} full blocks and the block being filled.
     */
    @Test
    void rememberingTheLatestProgramsOnlyForgetsTheOldestBlockWhole() {
        SplittableRandom random = new SplittableRandom(11);
        List<long[]> putIn = new ArrayList<>(); // fingerprint, sequence, in the order they went in
        Map<Long, Integer> indexOf = new HashMap<>();
        ProgramFingerprints fingerprints = ProgramFingerprints.EMPTY;
        int total = ProgramFingerprints.REMEMBERED * 3 + 123;
        long sequence = 0;
        while (putIn.size() < total) {
            sequence++;
            // mostly new programs, some repeats of recent and of long-forgotten ones
            long fingerprint = random.nextInt(5) == 0 && !putIn.isEmpty()
                    ? putIn.get(random.nextInt(putIn.size()))[0] : random.nextLong();
            int firstKept = firstKept(putIn.size());
            Integer at = indexOf.get(fingerprint);
            boolean remembered = at != null && at >= firstKept;
            assertThat(fingerprints.containsKey(fingerprint)).isEqualTo(remembered);
            fingerprints = fingerprints.with(fingerprint, sequence);
            if (!remembered) {
                indexOf.put(fingerprint, putIn.size());
                putIn.add(new long[] {fingerprint, sequence});
            }
        }
        int firstKept = firstKept(putIn.size());
        Map<Long, Long> expected = new HashMap<>();
        for (int i = firstKept; i < putIn.size(); i++) {
            expected.put(putIn.get(i)[0], putIn.get(i)[1]);
        }

        assertThat(fingerprints).hasSize(expected.size()).isEqualTo(expected);
        assertThat(expected.size()).isBetween(ProgramFingerprints.REMEMBERED,
                ProgramFingerprints.REMEMBERED + ProgramFingerprints.BLOCK - 1);
        long forgotten = putIn.get(firstKept - 1)[0];
        if (!expected.containsKey(forgotten)) {
            assertThat(fingerprints.with(forgotten, sequence + 1).get(forgotten)).isEqualTo(sequence + 1);
        }
    }

    /** The first program of the blocks kept after {@code putIn} programs went in. */
    private static int firstKept(int putIn) {
        int fullBlocks = putIn / ProgramFingerprints.BLOCK;
        return Math.max(0, fullBlocks - ProgramFingerprints.BLOCKS) * ProgramFingerprints.BLOCK;
    }

    /**
     * A snapshot hands over a plain map: read back at any point of a long run, it must answer as the instance
     * it was written from for the rest of the run, forgetting the same programs at the same time.
     */
    @Test
    void readBackFromAPlainMapAnywhereItGoesOnAsTheInstanceWritten() {
        SplittableRandom random = new SplittableRandom(5);
        int steps = ProgramFingerprints.REMEMBERED * 2 + 7_000;
        long[] stream = new long[steps];
        for (int i = 0; i < steps; i++) {
            stream[i] = random.nextInt(4) == 0 && i > 0 ? stream[random.nextInt(i)] : random.nextLong();
        }
        for (int readAt : new int[] {ProgramFingerprints.BLOCK - 1, ProgramFingerprints.REMEMBERED + 1_000,
                ProgramFingerprints.REMEMBERED + ProgramFingerprints.BLOCK * 3 + 17}) {
            ProgramFingerprints written = ProgramFingerprints.EMPTY;
            for (int i = 0; i < readAt; i++) {
                written = written.with(stream[i], i);
            }
            ProgramFingerprints read = ProgramFingerprints.of(new HashMap<>(written));
            assertThat(read).isEqualTo(written);
            for (int i = readAt; i < steps; i++) {
                assertThat(read.get(stream[i])).isEqualTo(written.get(stream[i]));
                written = written.with(stream[i], i);
                read = read.with(stream[i], i);
            }
            assertThat(read).isEqualTo(written);
        }
    }
}
