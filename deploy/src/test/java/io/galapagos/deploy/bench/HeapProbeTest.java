package io.galapagos.deploy.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's heap figure is the live set of a JVM that allocates fast, not what it allocated since: a child
 * JVM keeps 48 MB and throws away megabytes a millisecond, and every sample lands between the two.
 */
// integration lane: starts a JVM and attaches to it
@Tag("integration")
class HeapProbeTest {

    private static final long MB = 1024 * 1024;
    private static final int KEPT_MB = 48;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBusyJvmsHeapAfterGcIsItsLiveSet() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Allocator.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("allocating");
            List<Double> samples = new ArrayList<>();
            try (HeapProbe probe = HeapProbe.attach(child.pid())) {
                for (int i = 0; i < 8; i++) {
                    samples.add(probe.heapAfterGc() / (double) MB);
                }
            }
            assertThat(samples).allSatisfy(mb -> assertThat(mb).isBetween((double) KEPT_MB, KEPT_MB + 16.0));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Keeps {@link #KEPT_MB} MB and allocates garbage until it is killed. */
    public static final class Allocator {
        public static void main(String[] args) {
            // in small arrays: a collector's large objects take whole regions, more than their size
            long[][] kept = new long[KEPT_MB * 256][];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new long[(int) (MB / 256 / Long.BYTES)];
            }
            System.out.println("allocating");
            System.out.flush();
            long sum = 0;
            while (true) {
                byte[] garbage = new byte[16 * 1024];
                garbage[(int) (sum & 0x3FFF)] = 1;
                sum += garbage.length + kept[(int) (sum % kept.length)].length;
            }
        }
    }
}
