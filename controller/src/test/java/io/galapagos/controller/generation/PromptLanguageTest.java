package io.galapagos.controller.generation;

import io.galapagos.simulators.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PromptLanguageTest {

    private static final TaskBrief JAVA_BRIEF = new TaskBrief("cant-be-late", "Finish before the deadline, cheaply.",
            "public interface SpotStrategy {}", "java");
    private static final TaskBrief PYTHON_BRIEF = TaskBrief.external("folder-task", "Schedule jobs cheaply.",
            "scheduler.py", "python");
    private static final String PYTHON_PARENT = Resources.text(PromptLanguageTest.class, "text/scheduler.py.txt");

    private static PromptSettings settings(AnswerFormat format) {
        return PromptSettings.defaults().withFormat(format);
    }

    /** The request the golden Java prompts were written from, before prompts knew of languages. */
    private static ProposalRequest javaRequest() {
        Program parent = new Program("c-9", Fixtures.greedy(), -106.746, Map.of("avg_cost", 96.515), "Worst: k80");
        return new ProposalRequest("cant-be-late", "r/0", 1, 1, parent,
                List.of(new Program("c-u", Fixtures.uniformProgress(), -100, Map.of(), "")),
                List.of(parent, new Program("c-3", "class Top {}", -90, Map.of("x", 1.0), "")),
                List.of(new FailedAttempt("c-1", "reason 1")));
    }

    private static ProposalRequest pythonRequest() {
        Program parent = new Program("p-1", PYTHON_PARENT, 12.5, Map.of("cost", 3.0), "slow on trace 4");
        return new ProposalRequest("folder-task", "r/0", 1, 1, parent,
                List.of(new Program("p-2", PYTHON_PARENT.replace("0.25", "0.3"), 11, Map.of(), "")),
                List.of(parent, new Program("p-3", PYTHON_PARENT.replace("1.5", "1.7"), 13, Map.of(), "")), List.of());
    }

    @ParameterizedTest
    @EnumSource(AnswerFormat.class)
    void javaPromptIsByteForByteWhatItWasBeforeLanguages(AnswerFormat format) {
        Prompt prompt = new PromptBuilder(JAVA_BRIEF, settings(format), SecretRedactor.shapesOnly()).build(javaRequest());

        String golden = Resources.text(PromptLanguageTest.class,
                "golden/java-prompt-" + format.name().toLowerCase().replace('_', '-') + ".txt");
        assertThat(prompt.system() + "\n=====\n" + prompt.user()).isEqualTo(golden);
    }

    @ParameterizedTest
    @EnumSource(AnswerFormat.class)
    void pythonPromptNamesPythonAndFencesEveryProgramAsPython(AnswerFormat format) {
        Prompt prompt = new PromptBuilder(PYTHON_BRIEF, settings(format), SecretRedactor.shapesOnly())
                .build(pythonRequest());

        assertThat(prompt.system()).contains("Python engineer", "run and scored by the task's evaluator")
                .doesNotContain("Java", "sandbox");
        assertThat(prompt.user()).doesNotContain("```java", "Java", "{{")
                .contains("# Candidate API\n\n```python\n# The candidate is the whole file scheduler.py, a Python program.",
                        "# Current program (score 12.5)", "```python\n\"\"\"Greedy scheduler",
                        "## p-3 (score 13)\n\n```python\n", "## p-2 (score 11)\n\n```python\n");
        if (format == AnswerFormat.FULL_REWRITE) {
            assertThat(prompt.user()).contains("give the complete new program in one ```python fenced block");
        }
    }

    @Test
    void externalBriefTellsTheModelWhatTheCandidateIsInCommentLinesOfItsLanguage() {
        assertThat(PYTHON_BRIEF.language()).isEqualTo("python");
        assertThat(PYTHON_BRIEF.candidateApi()).isEqualTo("""
                # The candidate is the whole file scheduler.py, a Python program.
                # Only the lines between # EVOLVE-BLOCK-START and # EVOLVE-BLOCK-END may change; every other line must stay exactly as it is.
                # The task's evaluator runs the whole file, so the code outside the block (imports, helpers, the entry
                # point) must keep working with your change.""");
        TaskBrief rust = TaskBrief.external("t", "s", "main.rs", "Rust");
        assertThat(rust.language()).isEqualTo("rust");
        assertThat(rust.candidateApi()).startsWith("// The candidate is the whole file main.rs, a Rust program.\n"
                + "// Only the lines between // EVOLVE-BLOCK-START and // EVOLVE-BLOCK-END may change;");
        TaskBrief unknown = TaskBrief.external("t", "s", "run.zig", "zig");
        assertThat(unknown.candidateApi()).startsWith("The candidate is the whole file run.zig, a zig program.\n"
                + "Only the lines between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END may change;");
    }

    @Test
    void pythonAnswerFencedAsPythonBecomesTheChildOfAPythonTask() {
        String answer = "Keep a larger margin before going on-demand.\n```python\n"
                + PYTHON_PARENT.replace("margin = 1.5 * restart + 0.25", "margin = 2.0 * restart + 0.25") + "```\n";
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.enqueue(FakeOpenAiServer.answer(answer));
            RetryPolicy retry = new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(40), 0.25, Duration.ofSeconds(5));
            ModelSettings model = ModelSettings.of("m", server.baseUrl(), Optional.of("GALAPAGOS_TEST_KEY"))
                    .withLimits(4096, Duration.ofSeconds(20), 1);
            OpenAiChatClient client = new OpenAiChatClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    name -> Optional.of("sk-test-4f7a9c2e1b8d6f3a5c7e9b1d"), retry, new MutableClock());
            LlmGenerator llm = new LlmGenerator(PYTHON_BRIEF, new LlmSettings(List.of(model),
                    settings(AnswerFormat.FULL_REWRITE), retry, new EndpointCircuit.Settings(2, Duration.ofMinutes(1),
                    Duration.ofMinutes(8))), client, CostTracker.unlimited(), new MutableClock());

            Proposal proposal = llm.propose(pythonRequest()).toCompletableFuture().join();

            assertThat(proposal).isInstanceOf(Proposal.Code.class);
            assertThat(((Proposal.Code) proposal).code())
                    .isEqualTo(PYTHON_PARENT.replace("margin = 1.5 * restart", "margin = 2.0 * restart"));
            assertThat(server.requests().get(0).prompt()).contains("```python\n", "Python engineer");
        }
    }
}
