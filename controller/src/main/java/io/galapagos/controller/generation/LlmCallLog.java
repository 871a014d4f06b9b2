package io.galapagos.controller.generation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a node records every model call as it completes: the prompt's messages and the answer (or the
 * error), with model, usage and latency. Everything it is given is already redacted.
 */
@FunctionalInterface
public interface LlmCallLog {

    /** The file a log directory holds. */
    String FILE = "llm-log.jsonl";

    /** Records nothing: {@code galapagos.generation.llm-log = off}. */
    LlmCallLog OFF = call -> {
    };

    void record(Call call);

    /**
     * One model call.
     *
     * @param island   the island that asked, with the proposal's {@code sequence}
     * @param variant  what the prompt asked for
     * @param answer   the answer's text; empty when the call failed
     * @param error    why the call failed; empty when the model answered
     * @param attempts HTTP requests the call took, retries included (0 when it failed)
     */
    record Call(Instant at, String island, long sequence, String model, PromptVariant variant, List<ChatMessage> messages,
                Optional<String> answer, Optional<String> finishReason, Usage usage, long latencyMillis,
                int attempts, Optional<String> error) {

        public Call {
            messages = List.copyOf(messages);
        }
    }

    /**
     * Appends one JSON line per call to {@code directory/llm-log.jsonl}, created at the first call (an
     * offline run leaves no file). A failed write is logged and the run goes on: the log serves the reader,
     * the journal keeps what the run needs.
     */
    static LlmCallLog jsonLines(Path directory) {
        ObjectMapper json = new ObjectMapper();
        Logger log = LoggerFactory.getLogger(LlmCallLog.class);
        Path file = directory.resolve(FILE);
        return new LlmCallLog() {
            @Override
            public synchronized void record(Call call) {
                try {
                    Files.createDirectories(directory);
                    Files.writeString(file, json.writeValueAsString(line(call)) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (JsonProcessingException e) {
                    log.warn("cannot write a model call to {}: {}", file, e.getOriginalMessage());
                } catch (IOException e) {
                    log.warn("cannot write a model call to {}: {}", file, e.toString());
                }
            }
        };
    }

    private static Map<String, Object> line(Call call) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", call.at().toString());
        line.put("island", call.island());
        line.put("sequence", call.sequence());
        line.put("model", call.model());
        line.put("variant", call.variant().key());
        line.put("messages", call.messages().stream()
                .map(m -> Map.of("role", m.role(), "content", m.content())).toList());
        line.put("answer", call.answer().orElse(null));
        line.put("finishReason", call.finishReason().orElse(null));
        line.put("promptTokens", call.usage().promptTokens());
        line.put("completionTokens", call.usage().completionTokens());
        line.put("costUsd", call.usage().costUsd());
        line.put("latencyMs", call.latencyMillis());
        line.put("attempts", call.attempts());
        line.put("error", call.error().orElse(null));
        return line;
    }
}
