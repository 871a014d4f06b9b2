package io.galapagos.simulators.prng;

/**
 * MT19937 with the seedings and draws of numpy's legacy {@code RandomState} and CPython's
 * {@code random}, so that Galapagos regenerates the published workloads bit for bit.
 */
public final class MersenneTwister {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int pos;

    private MersenneTwister() {
    }

    /** numpy {@code np.random.seed(seed)}: the classic {@code init_genrand}. */
    public static MersenneTwister numpy(long seed) {
        MersenneTwister twister = new MersenneTwister();
        twister.initGenrand((int) seed);
        return twister;
    }

    /** CPython {@code random.seed(seed)} for a non-negative int: {@code init_by_array} over its 32-bit words. */
    public static MersenneTwister python(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("CPython seeds by absolute value; pass a non-negative seed");
        }
        int[] key = seed >>> 32 == 0 ? new int[]{(int) seed} : new int[]{(int) seed, (int) (seed >>> 32)};
        MersenneTwister twister = new MersenneTwister();
        twister.initByArray(key);
        return twister;
    }

    private void initGenrand(int seed) {
        mt[0] = seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
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
        mt[0] = 0x80000000;
        pos = N;
    }

    private void regenerate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
    }

    /** The next 32 random bits as an unsigned value. */
    public long next32() {
        if (pos == N) {
            regenerate();
            pos = 0;
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** numpy legacy {@code randint(low, high)} (high exclusive) by masked rejection. */
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
            value = next32() & mask;
        } while (value > range);
        return (int) (low + value);
    }

    /** CPython {@code random._randbelow(n)}: {@code getrandbits(n.bit_length())} with rejection. */
    public int pythonRandbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive: " + n);
        }
        int bits = 32 - Integer.numberOfLeadingZeros(n);
        long value;
        do {
            value = next32() >>> (32 - bits);
        } while (value >= n);
        return (int) value;
    }

    /** CPython {@code random.random()}: 53 bits from two 32-bit words. */
    public double pythonRandom() {
        long a = next32() >>> 5;
        long b = next32() >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }
}
