package io.galapagos.controller.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Chat completions on any OpenAI-compatible endpoint (OpenAI, Gemini's compatibility endpoint,
 * OpenRouter, vLLM, Ollama, llama.cpp server) over the JDK HTTP client. Retries per {@link RetryPolicy};
 * never blocks a thread while waiting. The key is read from the named environment variable at each
 * call, sent only in the {@code Authorization} header, and redacted from every message it produces.
 */
public final class OpenAiChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_EXCERPT = 300;

    private final HttpClient http;
    private final Function<String, Optional<String>> environment;
    private final RetryPolicy retry;
    private final Clock clock;

    /**
     * @param environment looks up environment variables ({@code name -> Optional.ofNullable(System.getenv(name))}
     *                    in production)
     */
    public OpenAiChatClient(HttpClient http, Function<String, Optional<String>> environment, RetryPolicy retry,
            Clock clock) {
        this.http = http;
        this.environment = environment;
        this.retry = retry;
        this.clock = clock;
    }

    /** A client on a fresh HTTP/1.1 client (local servers handle it best) and the process environment. */
    public static OpenAiChatClient create(RetryPolicy retry) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new OpenAiChatClient(http, name -> Optional.ofNullable(System.getenv(name)), retry, Clock.systemUTC());
    }

    /** The key of {@code model}, if it names a variable and that variable is set. */
    public Optional<String> apiKey(ModelSettings model) {
        return model.apiKeyEnv().flatMap(environment).filter(k -> !k.isBlank()).map(String::strip);
    }

    /**
     * Checks, before a run starts, that {@code model} can be called: its key variable is set and its
     * endpoint answers {@code GET /models} without refusing the key. Any other answer (also 404, which
     * some local servers give) counts as reachable; the real calls have their own retries.
     *
     * @return one line saying what is wrong, or empty
     */
    public Optional<String> preflight(ModelSettings model, Duration timeout) {
        if (model.apiKeyEnv().isPresent() && apiKey(model).isEmpty()) {
            return Optional.of("environment variable " + model.apiKeyEnv().get() + " is not set: it should hold the API key"
                    + " of model " + model.name() + " (name another variable with --api-key-env, or none for a keyless server)");
        }
        URI uri = URI.create(model.baseUrl().toString().replaceAll("/+$", "") + "/models");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        apiKey(model).ifPresent(key -> request.header("Authorization", "Bearer " + key));
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                return Optional.of(model.baseUrl() + " refused the key in " + model.apiKeyEnv().orElse("(no key variable)")
                        + " (HTTP " + response.statusCode() + ") for model " + model.name());
            }
            return Optional.empty();
        } catch (IOException e) {
            String why = e instanceof ConnectException ? "connection refused"
                    : e instanceof HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
                    : e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of("cannot reach " + model.baseUrl() + " (model " + model.name() + "): " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + model.baseUrl());
        }
    }

    /**
     * Asks {@code model}; the stage fails with {@link LlmCallException} when no answer came, after
     * retries. {@code random} drives the backoff jitter.
     */
    public CompletionStage<ChatCompletion> complete(ModelSettings model, List<ChatMessage> messages,
            SplittableRandom random) {
        SecretRedactor redactor = new SecretRedactor(apiKey(model).stream().toList());
        if (model.apiKeyEnv().isPresent() && apiKey(model).isEmpty()) {
            return CompletableFuture.failedFuture(new LlmCallException("environment variable "
                    + model.apiKeyEnv().get() + " (the API key of " + model.name() + ") is not set", false));
        }
        HttpRequest request;
        try {
            request = request(model, messages);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new LlmCallException("cannot build the request to "
                    + model.name() + ": " + redactor.redact(String.valueOf(e.getMessage())), false));
        }
        CompletableFuture<ChatCompletion> result = new CompletableFuture<>();
        attempt(model, request, 1, random, redactor, result, messages);
        return result;
    }

    private HttpRequest request(ModelSettings model, List<ChatMessage> messages) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model.name());
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put(model.reasoning() ? "max_completion_tokens" : "max_tokens", model.maxTokens());
        model.temperature().ifPresent(t -> body.put("temperature", t));
        model.topP().ifPresent(p -> body.put("top_p", p));
        body.put("stream", false);
        String base = model.baseUrl().toString();
        URI uri = URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(model.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        apiKey(model).ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder.build();
    }

    private void attempt(ModelSettings model, HttpRequest request, int attempt, SplittableRandom random,
            SecretRedactor redactor, CompletableFuture<ChatCompletion> result, List<ChatMessage> messages) {
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .whenComplete((response, error) -> {
                    try {
                        if (error != null) {
                            Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause() : error;
                            String what = describe(cause, model);
                            retryOrFail(model, request, attempt, random, redactor, result, messages, what,
                                    Optional.empty(), retryable(cause));
                            return;
                        }
                        int status = response.statusCode();
                        if (status == 200) {
                            result.complete(parse(model, response.body(), attempt, messages, redactor));
                        } else {
                            String what = "HTTP " + status + " from " + model.name() + ": "
                                    + excerpt(redactor.redact(response.body()));
                            boolean again = status == 429 || status == 408 || status >= 500;
                            retryOrFail(model, request, attempt, random, redactor, result, messages, what,
                                    retryAfter(response), again);
                        }
                    } catch (LlmCallException e) {
                        result.completeExceptionally(e);
                    } catch (RuntimeException e) {
                        result.completeExceptionally(new LlmCallException("unexpected failure calling "
                                + model.name() + ": " + redactor.redact(String.valueOf(e)), true));
                    }
                });
    }

    private void retryOrFail(ModelSettings model, HttpRequest request, int attempt, SplittableRandom random,
            SecretRedactor redactor, CompletableFuture<ChatCompletion> result, List<ChatMessage> messages,
            String what, Optional<Duration> retryAfter, boolean retryable) {
        if (!retryable) {
            result.completeExceptionally(new LlmCallException(what, status4xxIsEndpointFault(what)));
            return;
        }
        if (attempt >= retry.maxAttempts()) {
            result.completeExceptionally(new LlmCallException(what + " (gave up after " + attempt + " attempt"
                    + (attempt == 1 ? "" : "s") + ")", true));
            return;
        }
        Duration delay = retryAfter.map(d -> d.compareTo(retry.maxRetryAfter()) > 0 ? retry.maxRetryAfter() : d)
                .orElseGet(() -> retry.backoff(attempt, random));
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> attempt(model, request, attempt + 1, random, redactor, result, messages));
    }

    /** 401/403/404 keep failing until someone fixes the configuration: they open the circuit too. */
    private static boolean status4xxIsEndpointFault(String what) {
        return what.startsWith("HTTP 401") || what.startsWith("HTTP 403") || what.startsWith("HTTP 404");
    }

    private static boolean retryable(Throwable cause) {
        return cause instanceof HttpTimeoutException || cause instanceof ConnectException
                || cause instanceof IOException;
    }

    private static String describe(Throwable cause, ModelSettings model) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "connecting to " + model.baseUrl() + " timed out";
        }
        if (cause instanceof HttpTimeoutException) {
            return model.name() + " did not answer within " + model.requestTimeout().toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "cannot connect to " + model.baseUrl();
        }
        return "request to " + model.name() + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    private ChatCompletion parse(ModelSettings model, String body, int attempts, List<ChatMessage> messages,
            SecretRedactor redactor) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new LlmCallException("malformed JSON from " + model.name() + " (" + body.length()
                    + " chars): " + excerpt(redactor.redact(body)), true);
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || choice.isMissingNode()) {
            throw new LlmCallException("response of " + model.name() + " has no choices: "
                    + excerpt(redactor.redact(body)), true);
        }
        JsonNode contentNode = choice.path("message").path("content");
        String content = contentNode.isTextual() ? contentNode.asText() : "";
        String finish = choice.path("finish_reason").asText("");
        JsonNode usage = root.path("usage");
        boolean estimated = !usage.has("prompt_tokens") || !usage.has("completion_tokens");
        long prompt = estimated ? estimateTokens(messages.stream().mapToInt(m -> m.content().length()).sum())
                : usage.path("prompt_tokens").asLong();
        long completion = estimated ? estimateTokens(content.length()) : usage.path("completion_tokens").asLong();
        return new ChatCompletion(content, finish, model.usage(prompt, completion), estimated, attempts);
    }

    /** About four characters per token; only used when an endpoint reports no usage. */
    static long estimateTokens(long chars) {
        return (chars + 3) / 4;
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)))
                    .filter(d -> !d.isNegative());
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String excerpt(String body) {
        String s = body.replaceAll("\\s+", " ").strip();
        return s.length() <= BODY_EXCERPT ? s : s.substring(0, BODY_EXCERPT) + "...";
    }
}
