package io.galapagos.simulators;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values were printed by CPython 3.11's {@code random} module. */
class PythonRandomTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void seed42GivesCPythonsRawWords() {
        PythonRandom random = PythonRandom.seeded(42);
        assertThat(List.of(random.nextUInt32(), random.nextUInt32(), random.nextUInt32()))
                .containsExactly(2746317213L, 478163327L, 107420369L);
    }

    @Test
    void randomMatchesCPythonForSeveralSeeds() {
        PythonRandom r42 = PythonRandom.seeded(42);
        assertThat(r42.random()).isEqualTo(0.6394267984578837);
        assertThat(r42.random()).isEqualTo(0.025010755222666936);
        assertThat(r42.random()).isEqualTo(0.27502931836911926);

        PythonRandom r0 = PythonRandom.seeded(0);
        assertThat(r0.random()).isEqualTo(0.8444218515250481);
        assertThat(r0.random()).isEqualTo(0.7579544029403025);
        assertThat(PythonRandom.seeded(1).random()).isEqualTo(0.13436424411240122);
    }

    @Test
    void seedsWiderThan32BitsAndNegativeSeedsFollowCPython() {
        PythonRandom wide = PythonRandom.seeded((1L << 40) + 7);
        assertThat(wide.random()).isEqualTo(0.6137037779936511);
        assertThat(wide.random()).isEqualTo(0.8149162973309487);
        assertThat(PythonRandom.seeded(-5).random()).isEqualTo(0.6229016948897019);
    }

    @Test
    void derivedDrawsConsumeWordsLikeCPython() {
        PythonRandom random = PythonRandom.seeded(123456789);
        assertThat(random.uniform(0.98, 1.02)).isEqualTo(1.0056560246474349);
        assertThat(random.choice(range(299))).isEqualTo(277);
        assertThat(random.sample(range(1000), 5)).containsExactly(726, 924, 863, 939, 831);
        assertThat(random.randint(1, 10)).isEqualTo(10);

        assertThat(PythonRandom.seeded(42).randint(1, 10)).isEqualTo(2);
        assertThat(PythonRandom.seeded(42).randint(1, 100)).isEqualTo(82);
    }

    @Test
    void poolSampleOfFortyPicksTheTelemetryRowsOfTheOriginalEvaluator() {
        PythonRandom random = PythonRandom.seeded(42);
        assertThat(random.sample(range(40), 30)).containsExactly(7, 1, 17, 15, 14, 8, 6, 5, 27, 38, 0, 2, 33, 39,
                16, 19, 29, 37, 31, 20, 22, 13, 26, 35, 34, 12, 18, 23, 28, 21);
    }

    @Test
    void shuffleMatchesCPython() {
        List<Integer> items = new ArrayList<>(range(10));
        PythonRandom.seeded(7).shuffle(items);
        assertThat(items).containsExactly(8, 3, 1, 4, 7, 0, 9, 6, 2, 5);
    }

    @Test
    void initGenrandSeedingMatchesNumpyLegacyRawOutput() {
        // numpy RandomState(42): the first two words of its first randint(5, 10) (see prism.md)
        PythonRandom random = PythonRandom.initGenrand(42);
        assertThat(random.nextUInt32()).isEqualTo(1608637542L);
        assertThat(random.nextUInt32()).isEqualTo(3421126067L);
    }

    @Test
    void getrandbitsOfZeroDrawsNothing() {
        PythonRandom a = PythonRandom.seeded(42);
        assertThat(a.getrandbits(0)).isZero();
        assertThat(a.nextUInt32()).isEqualTo(2746317213L);
    }
}
