package io.galapagos.controller.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An OpenAI-compatible chat completions endpoint on loopback that replays scripted replies in order:
 * answers (diffs, programs, prose), truncated answers, malformed JSON, error statuses with or without
 * {@code Retry-After}, and answers held back until the test releases them (or the server closes).
 * With no reply scripted it answers 500. Every request is recorded.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted reply. */
    public sealed interface Reply permits Answer, Raw, Held {
    }

    /** A well-formed completion. */
    public record Answer(String content, String finishReason, long promptTokens, long completionTokens,
            boolean withUsage) implements Reply {
    }

    /** Any status, body and optional {@code Retry-After}. */
    public record Raw(int status, String body, Optional<String> retryAfter) implements Reply {
    }

    /** {@code then}, sent only once {@link #release()} is called or the server closes. */
    public record Held(Reply then) implements Reply {
    }

    public static Reply answer(String content) {
        return new Answer(content, "stop", 1200, 300, true);
    }

    public static Reply answer(String content, long promptTokens, long completionTokens) {
        return new Answer(content, "stop", promptTokens, completionTokens, true);
    }

    public static Reply answerWithoutUsage(String content) {
        return new Answer(content, "stop", 0, 0, false);
    }

    /** Cut at the token limit: {@code finish_reason = length}. */
    public static Reply truncated(String content) {
        return new Answer(content, "length", 1200, 8192, true);
    }

    /** A 200 whose body stops in the middle of the JSON. */
    public static Reply malformedJson() {
        return new Raw(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"con",
                Optional.empty());
    }

    public static Reply rateLimited(String retryAfter) {
        return new Raw(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}", Optional.of(retryAfter));
    }

    public static Reply status(int status, String body) {
        return new Raw(status, body, Optional.empty());
    }

    public static Reply held(Reply then) {
        return new Held(then);
    }

    /** A request as the server saw it. */
    public record Recorded(String path, Optional<String> authorization, JsonNode body) {
        /** All message contents joined, to check what a prompt carried. */
        public String prompt() {
            StringBuilder out = new StringBuilder();
            body.path("messages").forEach(m -> out.append(m.path("content").asText()).append('\n'));
            return out.toString();
        }

        /** The parent's Java code as the prompt carried it, under its "# Current program" heading. */
        public String currentProgram() {
            String prompt = prompt();
            int section = prompt.indexOf("# Current program");
            int start = prompt.indexOf("```java\n", section) + "```java\n".length();
            return prompt.substring(start, prompt.indexOf("\n```", start));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    /** Answers chat requests once the script is used up; empty: a 500 saying there is no script. */
    private volatile Optional<Function<Recorded, Reply>> responder = Optional.empty();
    private volatile int modelsStatus = 200;
    private final AtomicInteger modelListings = new AtomicInteger();

    private FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OpenAI server", e);
        }
    }

    /** The API root to configure as a model's base URL. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public FakeOpenAiServer enqueue(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Answers every chat request after the scripted ones, from what the request carried. */
    public FakeOpenAiServer respondWith(Function<Recorded, Reply> answer) {
        responder = Optional.of(answer);
        return this;
    }

    /** The status of {@code GET /models}, the endpoint check before a run: 200 unless told otherwise. */
    public FakeOpenAiServer modelsStatus(int status) {
        modelsStatus = status;
        return this;
    }

    /** How often {@code GET /models} was asked. */
    public int modelListings() {
        return modelListings.get();
    }

    /** Lets every held reply go. */
    public void release() {
        gate.countDown();
    }

    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public synchronized int requestCount() {
        return requests.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestURI().getPath().endsWith("/models")) {
                modelListings.incrementAndGet();
                send(exchange, new Raw(modelsStatus, "{\"object\":\"list\",\"data\":[]}", Optional.empty()),
                        JSON.createObjectNode());
                return;
            }
            byte[] in = exchange.getRequestBody().readAllBytes();
            JsonNode body;
            try {
                body = JSON.readTree(in);
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            Recorded recorded = new Recorded(exchange.getRequestURI().getPath(),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")), body);
            synchronized (this) {
                requests.add(recorded);
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = responder.map(r -> r.apply(recorded))
                        .orElseGet(() -> status(500, "{\"error\":{\"message\":\"no scripted reply\"}}"));
            }
            send(exchange, reply, body);
        }
    }

    private void send(HttpExchange exchange, Reply reply, JsonNode request) throws IOException {
        if (reply instanceof Held held) {
            try {
                gate.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            send(exchange, held.then(), request);
            return;
        }
        int status;
        String text;
        if (reply instanceof Answer a) {
            ObjectNode root = JSON.createObjectNode();
            root.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", request.path("model").asText());
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", a.finishReason());
            choice.putObject("message").put("role", "assistant").put("content", a.content());
            if (a.withUsage()) {
                root.putObject("usage").put("prompt_tokens", a.promptTokens()).put("completion_tokens", a.completionTokens())
                        .put("total_tokens", a.promptTokens() + a.completionTokens());
            }
            status = 200;
            text = JSON.writeValueAsString(root);
        } else {
            Raw raw = (Raw) reply;
            raw.retryAfter().ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
            status = raw.status();
            text = raw.body();
        }
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: nothing left to answer
        }
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
