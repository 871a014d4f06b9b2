package io.galapagos.simulators;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An exact emulation of CPython's {@code random.Random} (MT19937 with CPython's seeding and its
 * derived draws), so that simulators reproduce the seeded workloads of the published Python
 * evaluators bit for bit. Only the draws the evaluators use are emulated; every method consumes
 * 32-bit words exactly as CPython 3.11 does. Not thread-safe: one instance per simulation.
 */
public final class PythonRandom {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908B0DF;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7FFFFFFF;

    private final int[] mt = new int[N];
    private int mti;
    private long wordsDrawn;

    private PythonRandom() {
    }

    /** {@code random.Random(seed)} for an integer seed; CPython seeds with {@code abs(seed)}. */
    public static PythonRandom seeded(long seed) {
        PythonRandom random = new PythonRandom();
        random.initByArray(keyOf(seed));
        return random;
    }

    /**
     * The generator seeded with the reference {@code init_genrand(seed)}, as numpy's legacy
     * {@code RandomState(seed)} does; its {@link #nextUInt32()} words match numpy's raw output.
     */
    public static PythonRandom initGenrand(long seed) {
        PythonRandom random = new PythonRandom();
        random.initGenrandState((int) seed);
        return random;
    }

    /** CPython splits {@code abs(seed)} into little-endian 32-bit words, at least one. */
    private static int[] keyOf(long seed) {
        // abs(Long.MIN_VALUE) does not fit in a long, but its two words are still well defined
        long magnitude = seed == Long.MIN_VALUE ? seed : Math.abs(seed);
        int low = (int) magnitude;
        int high = (int) (magnitude >>> 32);
        return high == 0 ? new int[] {low} : new int[] {low, high};
    }

    private void initGenrandState(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    private void initByArray(int[] key) {
        initGenrandState(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER_MASK;
        mti = N;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        mti = 0;
    }

    /** {@code genrand_uint32}: the next tempered 32-bit word, as an unsigned value. */
    public long nextUInt32() {
        return nextWord() & 0xFFFFFFFFL;
    }

    /** How many 32-bit words this generator has produced; test vectors of the evaluators count them. */
    public long wordsDrawn() {
        return wordsDrawn;
    }

    private int nextWord() {
        wordsDrawn++;
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    /** numpy's legacy {@code randint(low, high)} (high exclusive): masked rejection on 32-bit words. */
    public int numpyRandint(int low, int high) {
        long range = (long) high - 1 - low;
        if (range < 0) {
            throw new IllegalArgumentException("empty range [" + low + ", " + high + ")");
        }
        if (range == 0) {
            return low;
        }
        long mask = range;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUInt32() & mask;
        } while (value > range);
        return (int) (low + value);
    }

    /** {@code random()}: a 53-bit double in [0, 1) from two words. */
    public double random() {
        int a = nextWord() >>> 5;
        int b = nextWord() >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** {@code uniform(a, b)}: exactly {@code a + (b - a) * random()}. */
    public double uniform(double a, double b) {
        return a + (b - a) * random();
    }

    /** {@code getrandbits(k)} for {@code 0 <= k <= 32} (k = 0 draws nothing). */
    public long getrandbits(int k) {
        if (k < 0 || k > 32) {
            throw new IllegalArgumentException("getrandbits supports 0..32 bits, got " + k);
        }
        if (k == 0) {
            return 0;
        }
        return nextUInt32() >>> (32 - k);
    }

    /** {@code _randbelow(n)}: rejection sampling on {@code bit_length(n)} bits. */
    public int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("randbelow needs n >= 1, got " + n);
        }
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** {@code randrange(start, stop)} with step 1. */
    public int randrange(int start, int stop) {
        if (stop <= start) {
            throw new IllegalArgumentException("empty range for randrange(" + start + ", " + stop + ")");
        }
        return start + randbelow(stop - start);
    }

    /** {@code randint(a, b)}: both ends included. */
    public int randint(int a, int b) {
        return randrange(a, b + 1);
    }

    /** {@code choice(seq)}. */
    public <T> T choice(List<T> seq) {
        if (seq.isEmpty()) {
            throw new IllegalArgumentException("cannot choose from an empty sequence");
        }
        return seq.get(randbelow(seq.size()));
    }

    /** {@code shuffle(x)} in place. */
    public <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }

    /**
     * {@code sample(population, k)} of CPython 3.11: the pool (partial Fisher-Yates) algorithm for
     * small populations, rejection with a set of taken indices for large ones.
     */
    public <T> List<T> sample(List<T> population, int k) {
        int n = population.size();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("sample larger than population or negative: k=" + k + ", n=" + n);
        }
        List<T> result = new ArrayList<>(k);
        int setsize = 21;
        if (k > 5) {
            setsize += 1 << (2 * ceilLog4(3 * k));
        }
        if (n <= setsize) {
            List<T> pool = new ArrayList<>(population);
            for (int i = 0; i < k; i++) {
                int j = randbelow(n - i);
                result.add(pool.get(j));
                pool.set(j, pool.get(n - i - 1));
            }
        } else {
            Set<Integer> selected = new HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randbelow(n);
                while (selected.contains(j)) {
                    j = randbelow(n);
                }
                selected.add(j);
                result.add(population.get(j));
            }
        }
        return result;
    }

    /** {@code ceil(log(x, 4))}; x = 3k is never a power of 4, so rounding at exact powers cannot matter. */
    private static int ceilLog4(int x) {
        double log = Math.log(x) / Math.log(4);
        return (int) Math.ceil(log);
    }
}
