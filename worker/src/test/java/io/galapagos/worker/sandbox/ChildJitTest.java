package io.galapagos.worker.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A slot's children: the client compiler only while its evaluations are short, the optimising one once they are long. */
@Timeout(30)
class ChildJitTest {

    private static final long SHORT = ChildJit.SLOW.toNanos() / 10;
    private static final long LONG = ChildJit.SLOW.toNanos() * 3;

    /** Feeds {@code n} evaluations of {@code nanos} each; true when one of them replaced the child. */
    private static boolean feed(ChildJit jit, int n, long nanos) {
        boolean replaced = false;
        for (int i = 0; i < n; i++) {
            replaced |= jit.evaluated(nanos);
        }
        return replaced;
    }

    @Test
    void shortEvaluationsKeepTheSlotsChildrenQuick() {
        ChildJit jit = new ChildJit();
        assertThat(jit.quick()).isTrue();
        assertThat(feed(jit, 10 * (ChildJit.WARM_UP + ChildJit.PROBE), SHORT)).isFalse();
        assertThat(jit.quick()).isTrue();
    }

    @Test
    void longEvaluationsReplaceTheQuickChildOnceAndForAll() {
        ChildJit jit = new ChildJit();
        assertThat(feed(jit, ChildJit.WARM_UP + ChildJit.PROBE - 1, LONG)).as("not decided before the probe's end").isFalse();
        assertThat(jit.quick()).isTrue();
        assertThat(jit.evaluated(LONG)).as("the probe's last evaluation replaces the child").isTrue();
        assertThat(jit.quick()).isFalse();
        assertThat(feed(jit, 3 * ChildJit.PROBE, SHORT)).as("an optimising child is never replaced for its speed").isFalse();
        assertThat(jit.quick()).as("the slot keeps the optimising compiler").isFalse();
    }

    @Test
    void theColdStartDoesNotCountAndNeitherDoesWhatComesAfterTheProbe() {
        ChildJit jit = new ChildJit();
        assertThat(feed(jit, ChildJit.WARM_UP, LONG * 100)).isFalse();
        assertThat(feed(jit, ChildJit.PROBE, SHORT)).as("only the probe's mean decides").isFalse();
        assertThat(jit.quick()).isTrue();
        assertThat(feed(jit, ChildJit.PROBE, LONG * 100)).as("decided once").isFalse();
        assertThat(jit.quick()).isTrue();

        ChildJit borderline = new ChildJit();
        feed(borderline, ChildJit.WARM_UP, SHORT);
        // one long evaluation among short ones: the mean stays under the limit
        borderline.evaluated(ChildJit.SLOW.toNanos() * 2);
        assertThat(feed(borderline, ChildJit.PROBE - 1, SHORT)).isFalse();
        assertThat(borderline.quick()).isTrue();
    }

    @Test
    void aQuickChildsCommandRunsTheClientCompilerOnly() {
        Path directory = Path.of("/tmp/child");
        List<String> quick = ChildProcess.command(SandboxSettings.defaults(), directory, Optional.empty(),
                SandboxChild.class, ChildProcess.childArguments(SandboxSettings.defaults()), ChildProcess.QUICK_JIT);
        List<String> full = ChildProcess.command(SandboxSettings.defaults(), directory, Optional.empty(),
                SandboxChild.class, ChildProcess.childArguments(SandboxSettings.defaults()), List.of());
        assertThat(quick.indexOf("-XX:TieredStopAtLevel=1")).isPositive()
                .isLessThan(quick.indexOf(SandboxChild.class.getName()));
        assertThat(full).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(quick).containsAll(full);
    }
}
