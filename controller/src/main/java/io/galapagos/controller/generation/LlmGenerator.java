package io.galapagos.controller.generation;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Proposes children by asking one model of the weighted ensemble per proposal: builds the prompt,
 * reserves the call's worst-case cost against the budget, waits for a slot of the model, calls it
 * (with retries), charges the real cost, and applies the answer with the {@link DiffApplier}. Every
 * failure becomes a {@link Proposal.Failed} carrying its reason and whatever the call cost.
 */
public final class LlmGenerator implements SolutionGenerator {

    private static final int SUMMARY_CHARS = 160;

    private final LlmSettings settings;
    private final SourceLanguage language;
    private final ModelEnsemble ensemble;
    private final PromptBuilder prompts;
    private final OpenAiChatClient client;
    private final CostTracker costs;
    private final SecretRedactor redactor;
    private final LlmCallLog callLog;
    private final Map<String, EndpointCircuit> circuits = new LinkedHashMap<>();
    private final Map<String, ConcurrencyLimit> limits = new LinkedHashMap<>();
    /** Size of the latest prompt: the next one will be about as long, which health() needs to judge the budget. */
    private final AtomicLong lastPromptTokens = new AtomicLong();
    private final Clock clock;

    public LlmGenerator(TaskBrief task, LlmSettings settings, OpenAiChatClient client, CostTracker costs, Clock clock) {
        this(task, settings, client, costs, clock, new ConcurrentHashMap<>(), LlmCallLog.OFF);
    }

    /**
     * @param slots the concurrency limit of each model by name, shared by every generator of this node so that
     *              a model's {@code maxConcurrency} holds over all its islands; filled as models are first seen
     * @param callLog records every call's prompt and answer, redacted
     */
    LlmGenerator(TaskBrief task, LlmSettings settings, OpenAiChatClient client, CostTracker costs, Clock clock,
                 ConcurrentMap<String, ConcurrencyLimit> slots, LlmCallLog callLog) {
        this.settings = settings;
        this.callLog = callLog;
        this.clock = clock;
        this.language = task.sourceLanguage();
        this.ensemble = new ModelEnsemble(settings.models());
        this.client = client;
        this.costs = costs;
        this.redactor = new SecretRedactor(settings.models().stream()
                .flatMap(m -> client.apiKey(m).stream()).toList());
        this.prompts = new PromptBuilder(task, settings.prompt(), redactor);
        for (ModelSettings m : settings.models()) {
            circuits.put(m.name(), new EndpointCircuit(m.name(), settings.circuit(), clock));
            limits.put(m.name(), slots.computeIfAbsent(m.name() + "@" + m.baseUrl(),
                    k -> new ConcurrencyLimit(m.maxConcurrency())));
        }
    }

    /** The generator for a task on the class path, on the process environment and a fresh HTTP client. */
    public static LlmGenerator create(String taskId, LlmSettings settings, CostTracker costs) {
        return create(taskId, settings, costs, new ConcurrentHashMap<>(), LlmCallLog.OFF);
    }

    /** The same, with the models' concurrency limits shared with the other generators of this node. */
    static LlmGenerator create(String taskId, LlmSettings settings, CostTracker costs,
                               ConcurrentMap<String, ConcurrencyLimit> slots, LlmCallLog callLog) {
        return create(TaskBrief.lookup(taskId), settings, costs, slots, callLog);
    }

    /** The generator for any task, described by its brief (a task folder's program in any language). */
    public static LlmGenerator create(TaskBrief task, LlmSettings settings, CostTracker costs) {
        return create(task, settings, costs, new ConcurrentHashMap<>(), LlmCallLog.OFF);
    }

    /** The same, with the models' concurrency limits shared with the other generators of this node. */
    static LlmGenerator create(TaskBrief task, LlmSettings settings, CostTracker costs,
                               ConcurrentMap<String, ConcurrencyLimit> slots, LlmCallLog callLog) {
        return new LlmGenerator(task, settings, OpenAiChatClient.create(settings.retry()), costs, Clock.systemUTC(),
                slots, callLog);
    }

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        try {
            return ask(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Proposal.Failed.call(
                    redactor.redact("proposal failed before any call: " + e.getMessage()), "llm", Usage.NONE));
        }
    }

    private CompletionStage<Proposal> ask(ProposalRequest request) {
        SplittableRandom random = new SplittableRandom(request.seed());
        Optional<ModelSettings> picked = ensemble.pick(random, m -> circuits.get(m.name()).available());
        // the island's choice (model-choice = bandit) wins while its endpoint is up; the weights fill in otherwise
        Optional<ModelSettings> chosen = request.model().flatMap(ensemble::named)
                .filter(m -> circuits.get(m.name()).available());
        if (chosen.isPresent()) {
            picked = chosen;
        }
        if (picked.isEmpty() || !circuits.get(picked.get().name()).tryEnter()) {
            return done(Proposal.Failed.call(pausedReason(), "llm", Usage.NONE));
        }
        ModelSettings model = picked.get();
        EndpointCircuit circuit = circuits.get(model.name());
        Prompt prompt;
        try {
            prompt = prompts.build(request);
        } catch (IllegalArgumentException e) {
            circuit.cancel();
            return done(new Proposal.Failed(e.getMessage(), model.name(), Usage.NONE));
        }
        long promptTokens = OpenAiChatClient.estimateTokens(prompt.chars());
        lastPromptTokens.set(promptTokens);
        double worstCase = model.worstCaseUsd(promptTokens);
        Optional<CostTracker.Reservation> reservation = costs.tryReserve(model.name(), worstCase);
        if (reservation.isEmpty()) {
            circuit.cancel();
            CostTracker.Totals t = costs.totals();
            return done(Proposal.Failed.call(String.format(java.util.Locale.ROOT,
                    "USD budget: a call to %s may cost up to $%.4f; spent $%.4f, $%.4f reserved by calls in flight, budget $%.2f",
                    model.name(), worstCase, t.spentUsd(), t.inFlightUsd(), t.budgetUsd().orElse(0)),
                    model.name(), Usage.NONE));
        }
        ConcurrencyLimit limit = limits.get(model.name());
        SplittableRandom jitter = random.split();
        long[] sentAt = new long[1];
        return limit.acquire()
                .thenCompose(slot -> {
                    sentAt[0] = System.nanoTime();
                    return client.complete(model, prompt.messages(), jitter);
                })
                .handle((completion, error) -> {
                    limit.release();
                    logCall(request, model, prompt, completion, error, sentAt[0]);
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        boolean fault = !(cause instanceof LlmCallException call) || call.endpointFault();
                        String reason = redactor.redact(cause instanceof LlmCallException ? cause.getMessage()
                                : "call to " + model.name() + " failed: " + cause);
                        if (fault) {
                            circuit.failed(reason);
                        } else {
                            circuit.cancel();
                        }
                        costs.settle(reservation.get(), Usage.NONE);
                        return Proposal.Failed.call(reason, model.name(), Usage.NONE);
                    }
                    circuit.succeeded();
                    costs.settle(reservation.get(), completion.usage());
                    return answer(request, model, completion);
                });
    }

    /** Writes the call to the call log, redacted again: a log line must never carry a key. */
    private void logCall(ProposalRequest request, ModelSettings model, Prompt prompt, ChatCompletion completion,
                         Throwable error, long sentAtNanos) {
        try {
            long latency = sentAtNanos == 0 ? 0 : (System.nanoTime() - sentAtNanos) / 1_000_000;
            List<ChatMessage> messages = prompt.messages().stream()
                    .map(m -> new ChatMessage(m.role(), redactor.redact(m.content()))).toList();
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            callLog.record(new LlmCallLog.Call(clock.instant(), request.islandId(), request.sequence(), model.name(),
                    request.plan().variant(),
                    messages, completion == null ? Optional.empty() : Optional.of(redactor.redact(completion.content())),
                    completion == null ? Optional.empty() : Optional.ofNullable(completion.finishReason()),
                    completion == null ? Usage.NONE : completion.usage(), latency,
                    completion == null ? 0 : completion.attempts(),
                    cause == null ? Optional.empty() : Optional.of(redactor.redact(String.valueOf(cause.getMessage())))));
        } catch (RuntimeException e) {
            // the log serves the reader; a proposal never fails because of it
        }
    }

    private Proposal answer(ProposalRequest request, ModelSettings model, ChatCompletion completion) {
        Usage usage = completion.usage();
        if (completion.truncated()) {
            return new Proposal.Failed("the answer of " + model.name() + " was cut at its limit of "
                    + model.maxTokens() + " completion tokens; answer with shorter edits", model.name(), usage);
        }
        String content = redactor.redact(completion.content());
        if (content.isBlank()) {
            return new Proposal.Failed(model.name() + " answered with no text (finish reason '"
                    + completion.finishReason() + "')", model.name(), usage);
        }
        DiffApplier.Outcome outcome = DiffApplier.applyAnswer(request.baseCode(), content,
                settings.prompt().format(), language);
        if (outcome instanceof DiffApplier.Rejected rejected) {
            return new Proposal.Failed(rejected.reason(), model.name(), usage);
        }
        DiffApplier.Applied applied = (DiffApplier.Applied) outcome;
        String idea = idea(content);
        return new Proposal.Code(applied.code(), model.name(),
                idea.isEmpty() ? applied.summary() : idea + " [" + applied.summary() + "]", usage);
    }

    /** The model's first line of prose: what it says it changed. */
    private static String idea(String content) {
        for (String line : content.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("```") || s.startsWith("<<<<<<<") || s.startsWith("#")) {
                if (s.startsWith("<<<<<<<") || s.startsWith("```")) {
                    return "";
                }
                continue;
            }
            return s.length() <= SUMMARY_CHARS ? s : s.substring(0, SUMMARY_CHARS) + "...";
        }
        return "";
    }

    private static CompletionStage<Proposal> done(Proposal proposal) {
        return CompletableFuture.completedFuture(proposal);
    }

    private String pausedReason() {
        return "every model's endpoint is paused after repeated failures: " + circuits.values().stream()
                .map(EndpointCircuit::state)
                .map(s -> s.model() + " (" + s.lastFailure() + ")").collect(Collectors.joining("; "));
    }

    /**
     * Paused while every model's circuit is open (until the earliest probe), or while calls in flight
     * hold the rest of the budget; exhausted when not even the cheapest model's completion fits.
     */
    @Override
    public GeneratorHealth health() {
        long promptTokens = lastPromptTokens.get();
        double cheapest = settings.models().stream().mapToDouble(m -> m.worstCaseUsd(promptTokens)).min().orElse(0);
        if (costs.exhausted(cheapest)) {
            CostTracker.Totals t = costs.totals();
            return GeneratorHealth.exhausted(String.format(java.util.Locale.ROOT,
                    "USD budget spent: $%.4f of $%.2f", t.spentUsd(), t.budgetUsd().orElse(0)));
        }
        if (circuits.values().stream().noneMatch(EndpointCircuit::available)) {
            Optional<Instant> next = circuits.values().stream().map(EndpointCircuit::state)
                    .flatMap(s -> s.openUntil().stream()).min(Comparator.naturalOrder());
            return GeneratorHealth.paused(next, pausedReason());
        }
        if (!costs.fits(cheapest)) {
            return GeneratorHealth.paused(Optional.empty(), "USD budget held by calls in flight");
        }
        return GeneratorHealth.ready();
    }

    /** The circuit of every model, for the progress display and {@code galapagos status}. */
    public List<EndpointCircuit.State> circuits() {
        return circuits.values().stream().map(EndpointCircuit::state).toList();
    }

    public CostTracker costs() {
        return costs;
    }

    /** The concurrency limit calls to {@code model} wait for. */
    ConcurrencyLimit limit(String model) {
        return limits.get(model);
    }

    @Override
    public SourceLanguage language() {
        return language;
    }
}
