package io.galapagos.worker.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The JIT options of the pool's compiler JVMs: quick ones for a slot's first compiles, overridable by configuration. */
@Timeout(30)
class CompilerJvmCommandTest {

    private static final Path DIRECTORY = Path.of("/tmp/compiler");

    @Test
    void aQuickCompilerRunsTheClientCompilerOnlyAndAFullOneTheJvmsDefault() {
        List<String> quick = ChildProcess.command(SandboxSettings.defaults(), DIRECTORY, Optional.empty(),
                CompilerChild.class, List.of(), ChildProcess.QUICK_JIT);
        List<String> full = ChildProcess.command(SandboxSettings.defaults(), DIRECTORY, Optional.empty(),
                CompilerChild.class, List.of(), List.of());

        assertThat(quick).contains("-XX:TieredStopAtLevel=1");
        assertThat(quick.indexOf("-XX:TieredStopAtLevel=1")).isLessThan(quick.indexOf(CompilerChild.class.getName()));
        assertThat(full).doesNotContain("-XX:TieredStopAtLevel=1");
        // the jail's and the pool's options stay as they are
        assertThat(quick).containsAll(full);
    }

    @Test
    void oneCompilerJvmServesTwoSlots() {
        assertThat(SandboxCompiler.processesFor(1)).isEqualTo(1);
        assertThat(SandboxCompiler.processesFor(2)).isEqualTo(1);
        assertThat(SandboxCompiler.processesFor(3)).isEqualTo(2);
        assertThat(SandboxCompiler.processesFor(8)).isEqualTo(4);
    }

    @Test
    void configuredExtraOptionsComeAfterTheQuickOnesSoTheyWin() {
        SandboxSettings settings = SandboxSettings.defaults().withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=4"));
        List<String> command = ChildProcess.command(settings, DIRECTORY, Optional.empty(), CompilerChild.class,
                List.of(), ChildProcess.QUICK_JIT);

        assertThat(command.indexOf("-XX:TieredStopAtLevel=1")).isLessThan(command.indexOf("-XX:TieredStopAtLevel=4"));
    }
}
