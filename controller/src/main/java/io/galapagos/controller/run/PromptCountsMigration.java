package io.galapagos.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

import java.util.List;

/**
 * Format 2 of everything that carries {@link RunSettings}: the prompt no longer has its own counts of top
 * programs, inspirations and recent failures; the island's settings decide them. A run journalled with
 * format 1 showed the smaller of the two in each prompt, so its island now keeps that smaller count,
 * and its prompts show as many programs and failures as before. Registered for each journalled or
 * cross-node class that holds run settings (the controller's {@code reference.conf}).
 */
public final class PromptCountsMigration extends JacksonMigration {

    /** The prompt's counts of format 1, with the island settings' field each one now lives in. */
    private static final List<String[]> MOVED = List.of(
            new String[]{"topPrograms", "topPrograms"},
            new String[]{"inspirations", "inspirations"},
            new String[]{"recentFailures", "recentFailures"});

    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        if (fromVersion < 2) {
            moveCounts(json);
        }
        return json;
    }

    /** Every run settings object in the tree (at any depth: events, snapshots, statuses nest them). */
    private static void moveCounts(JsonNode node) {
        if (node instanceof ObjectNode object && object.get("island") instanceof ObjectNode island
                && object.get("generation") instanceof ObjectNode generation) {
            JsonNode prompt = generation.path("llm").path("prompt");
            if (prompt instanceof ObjectNode old) {
                for (String[] moved : MOVED) {
                    JsonNode count = old.remove(moved[0]);
                    if (count != null && count.canConvertToInt() && island.path(moved[1]).canConvertToInt()) {
                        island.put(moved[1], Math.min(count.asInt(), island.get(moved[1]).asInt()));
                    }
                }
            }
        }
        node.forEach(PromptCountsMigration::moveCounts);
    }
}
