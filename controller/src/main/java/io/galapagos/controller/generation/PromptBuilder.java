package io.galapagos.controller.generation;

import io.galapagos.simulators.Resources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the prompt of a proposal from the templates in {@code prompt/*.txt}: task, parent with metrics
 * and feedback, top programs, inspirations, recent failures and the answer format, with code fenced and
 * named in the candidate's language. Everything taken from programs or evaluators passes through the
 * {@link SecretRedactor}.
 */
public final class PromptBuilder {

    /** An improvement's idea in the summary: one line, as the model said it. */
    private static final int IDEA_CHARS = 200;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private final TaskBrief task;
    private final SourceLanguage language;
    private final PromptSettings settings;
    private final SecretRedactor redactor;

    public PromptBuilder(TaskBrief task, PromptSettings settings, SecretRedactor redactor) {
        this.task = task;
        this.language = task.sourceLanguage();
        this.settings = settings;
        this.redactor = redactor;
    }

    public PromptSettings settings() {
        return settings;
    }

    /**
     * The prompt of the request's {@link PromptVariant}, or {@link IllegalArgumentException} when the
     * program the edits apply to (or the parent) is longer than allowed.
     */
    public Prompt build(ProposalRequest request) {
        Program parent = request.parent();
        PromptPlan plan = request.plan();
        tooLong("the parent", parent.code());
        plan.failedChild().ifPresent(child -> tooLong("the failed child", child.code()));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("problem", settings.problemStatement()
                ? render("section-problem.txt", Map.of("statement", redact(task.problemStatement()).strip())) : "");
        values.put("api", settings.candidateApi()
                ? render("section-api.txt", Map.of("api", redact(task.candidateApi()).strip(),
                        "fence", language.fenceTag())) : "");
        values.put("parent", plan.failedChild().isPresent()
                ? render("section-parent-fix.txt", Map.of(
                        "code", redact(plan.failedChild().get().code()).stripTrailing(),
                        "fence", language.fenceTag()))
                : render("section-parent.txt", Map.of(
                        "score", score(parent.score()),
                        "metrics", settings.parentMetrics() ? metrics(parent) : "",
                        "feedback", settings.maxFeedbackChars() > 0 && !parent.feedback().isBlank()
                                ? render("feedback.txt", Map.of("feedback",
                                        truncate(redact(parent.feedback()).strip(), settings.maxFeedbackChars()))) : "",
                        "code", redact(parent.code()).stripTrailing(),
                        "fence", language.fenceTag())));
        values.put("variant", variant(parent, plan));
        // the programs the variant already shows are not shown twice
        List<String> shown = new java.util.ArrayList<>(List.of(parent.candidateId()));
        plan.partner().ifPresent(p -> shown.add(p.candidateId()));
        // How many of each the island chose (galapagos.islands.*): the prompt shows them all.
        values.put("top", programs("section-top-programs.txt", request.topPrograms().stream()
                .filter(p -> !shown.contains(p.candidateId())).toList()));
        values.put("inspirations", programs("section-inspirations.txt", request.inspirations().stream()
                .filter(p -> !shown.contains(p.candidateId())).toList()));
        values.put("failures", failures(request.recentFailures().stream()
                .filter(f -> plan.failedChild().map(c -> !c.candidateId().equals(f.candidateId())).orElse(true))
                .toList()));
        values.put("summary", plan.summary().map(this::summary).orElse(""));
        values.put("format", render(settings.format() == AnswerFormat.DIFF ? "format-diff.txt" : "format-full-rewrite.txt",
                Map.of("fence", language.fenceTag())));
        String user = render("user.txt", values).replaceAll("\n{3,}", "\n\n").strip() + "\n";
        return new Prompt(system().strip(), user);
    }

    private void tooLong(String what, String code) {
        if (code.length() > settings.maxParentCodeChars()) {
            throw new IllegalArgumentException(what + " has " + code.length()
                    + " characters, more than the prompt allows (" + settings.maxParentCodeChars() + ")");
        }
    }

    /** What the variant adds after the current program: nothing to improve it, the parent for a fix, the partner for a crossover. */
    private String variant(Program parent, PromptPlan plan) {
        if (plan.failedChild().isPresent()) {
            // the error is what a fix is about: shown at the larger of the feedback and failure sizes
            int errorChars = Math.max(1, Math.max(settings.maxFeedbackChars(), settings.maxFailureChars()));
            return render("section-fix.txt", Map.of(
                    "error", truncate(redact(plan.failedChild().get().reason()).strip(), errorChars),
                    "score", score(parent.score()),
                    "metrics", settings.parentMetrics() ? metrics(parent) : "",
                    "code", redact(parent.code()).stripTrailing(),
                    "fence", language.fenceTag()));
        }
        if (plan.partner().isPresent()) {
            Program partner = plan.partner().get();
            return render("section-crossover.txt", Map.of(
                    "id", partner.candidateId(),
                    "score", score(partner.score()),
                    "metrics", settings.parentMetrics() ? metrics(partner) : "",
                    "code", truncate(redact(partner.code()).stripTrailing(), settings.maxParentCodeChars()),
                    "fence", language.fenceTag()));
        }
        return "";
    }

    private String summary(PromptPlan.SearchSummary summary) {
        String improvements = summary.improvements().isEmpty() ? "" : render("summary-improvements.txt", Map.of(
                "improvements", summary.improvements().stream().map(i -> "- " + i.candidateId() + " ("
                        + i.variant().map(v -> v.key() + ", ").orElse("") + i.generator() + ", +" + number(i.gain()) + ")"
                        + (i.summary().isBlank() ? "" : ": " + truncate(redact(i.summary()).strip(), IDEA_CHARS)
                                .replace("\n", " ")))
                        .collect(Collectors.joining("\n"))));
        String failures = summary.failures().isEmpty() ? "" : render("summary-failures.txt", Map.of(
                "failures", summary.failures().stream().map(f -> "- " + f.reason() + ": " + f.count())
                        .collect(Collectors.joining("\n"))));
        return render("section-summary.txt", Map.of(
                "improved", String.valueOf(summary.improved()),
                "evaluated", String.valueOf(summary.evaluated()),
                "improvements", improvements,
                "failures", failures));
    }

    /**
     * A Java candidate is compiled into the sandbox, and the system message says so; a program in any
     * other language is run by its task's evaluator.
     */
    private String system() {
        return language.isJava() ? render("system.txt", Map.of())
                : render("system-program.txt", Map.of("language", language.displayName()));
    }

    private String programs(String section, List<Program> programs) {
        if (programs.isEmpty() || settings.maxProgramChars() == 0) {
            return "";
        }
        String listed = programs.stream().map(p -> render("program.txt", Map.of(
                "id", p.candidateId(),
                "score", score(p.score()),
                "metrics", metrics(p),
                "code", truncate(redact(p.code()).stripTrailing(), settings.maxProgramChars()),
                "fence", language.fenceTag())))
                .collect(Collectors.joining("\n"));
        return render(section, Map.of("programs", listed.strip()));
    }

    private String failures(List<FailedAttempt> failures) {
        if (failures.isEmpty() || settings.maxFailureChars() == 0) {
            return "";
        }
        String listed = failures.stream().map(f -> "- " + f.candidateId() + ": "
                + truncate(redact(f.reason()).strip(), settings.maxFailureChars()).replace("\n", "\n  "))
                .collect(Collectors.joining("\n"));
        return render("section-failures.txt", Map.of("failures", listed));
    }

    private String metrics(Program program) {
        if (program.metrics().isEmpty()) {
            return "";
        }
        return program.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "- " + e.getKey() + ": " + number(e.getValue())).collect(Collectors.joining("\n")) + "\n";
    }

    private static String score(double score) {
        return number(score);
    }

    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private String redact(String text) {
        return redactor.redact(text);
    }

    /** Keeps the head of {@code text} and says how much was cut. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        String note = "\n[... " + (text.length() - max) + " more characters cut]";
        return text.substring(0, Math.max(0, max - note.length())) + note;
    }

    /** {@code template} with every {@code {{name}}} replaced; a name without a value is an error. */
    static String render(String template, Map<String, String> values) {
        String text = Resources.text(PromptBuilder.class, "prompt/" + template);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("prompt template " + template + " uses {{" + m.group(1)
                        + "}} but no value was given");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
