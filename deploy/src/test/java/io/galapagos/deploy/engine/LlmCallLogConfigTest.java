package io.galapagos.deploy.engine;

import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.generation.ChatMessage;
import io.galapagos.controller.generation.LlmCallLog;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class LlmCallLogConfigTest {

    private static LlmCallLog.Call call() {
        return new LlmCallLog.Call(Instant.EPOCH, "run/0", 3, "m", PromptVariant.IMPROVE, List.of(ChatMessage.user("hi")), Optional.empty(),
                Optional.empty(), Usage.NONE, 5, 0, Optional.of("HTTP 500 after 3 attempts"));
    }

    @Test
    void aNodeLogsNoCallsByDefaultAndAnEmbeddedRunLogsThemInItsFolder(@TempDir Path dir) throws Exception {
        assertThat(Evaluators.callLog(ConfigFactory.defaultReference())).isSameAs(LlmCallLog.OFF);

        Path out = dir.resolve("out");
        Evaluators.callLog(EmbeddedNode.config(out, Optional.empty(), ConfigFactory.empty())).record(call());

        String line = Files.readString(out.resolve(LlmCallLog.FILE));
        assertThat(line).endsWith("\n").contains("\"island\":\"run/0\"", "\"answer\":null",
                "\"error\":\"HTTP 500 after 3 attempts\"", "\"content\":\"hi\"");
    }

    @Test
    void anEmptyDirectoryIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> Evaluators.callLog(ConfigFactory.parseMap(Map.of("galapagos.generation.llm-log", " "))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("galapagos.generation.llm-log");
    }
}
