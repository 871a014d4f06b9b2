package io.galapagos.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands whose start is waited for get a command line that knows only them; the others the whole tree. */
@Timeout(60)
class NarrowCommandLineTest {

    private static String[] args(String... args) {
        return args;
    }

    @Test
    void runAndResumeKnowOnlyThemselvesAndSpeakAsTheWholeTreeDoes() {
        for (String command : new String[] {"run", "resume"}) {
            CommandLine narrow = Galapagos.commandLine(args(command, "--bogus"));
            assertThat(narrow.getSubcommands().keySet()).containsExactly(command);

            StringWriter err = new StringWriter();
            int code = narrow.setErr(new PrintWriter(err, true)).execute(command, "--bogus");
            StringWriter fullErr = new StringWriter();
            int fullCode = Galapagos.commandLine().setErr(new PrintWriter(fullErr, true)).execute(command, "--bogus");
            assertThat(code).isEqualTo(fullCode).isEqualTo(Galapagos.EXIT_USAGE);
            assertThat(err.toString()).isEqualTo(fullErr.toString())
                    .startsWith("galapagos " + command + ": Unknown option: '--bogus'");

            StringWriter help = new StringWriter();
            StringWriter fullHelp = new StringWriter();
            Galapagos.commandLine(args(command, "--help")).setOut(new PrintWriter(help, true)).execute(command, "--help");
            Galapagos.commandLine().setOut(new PrintWriter(fullHelp, true)).execute(command, "--help");
            assertThat(help.toString()).isEqualTo(fullHelp.toString()).startsWith("Usage: galapagos " + command);
        }
    }

    @Test
    void otherCommandsGetTheWholeTree() {
        assertThat(Galapagos.commandLine(args("node", "--help")).getSubcommands()).containsKeys("run", "node", "bench");
        assertThat(Galapagos.commandLine(args()).getSubcommands()).containsKeys("run", "status");
    }
}
