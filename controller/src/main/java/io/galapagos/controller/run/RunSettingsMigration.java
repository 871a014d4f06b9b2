package io.galapagos.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

import java.util.List;

/**
 * The formats of everything that carries {@link RunSettings}, registered for each journalled or cross-node
 * class that holds run settings (the controller's {@code reference.conf}).
 * <ul>
 *   <li>Format 2: the prompt no longer has its own counts of top programs, inspirations and recent
 *       failures; the island's settings decide them. A run journalled with format 1 showed the smaller of
 *       the two in each prompt, so its island now keeps that smaller count, and its prompts show as many
 *       programs and failures as before.</li>
 *   <li>Format 3: the settings are the run's spec only. The values that say how a node runs it left them
 *       for the node's current configuration: the islands' {@code progressIntervalMillis} and
 *       {@code resubmitIntervalMillis}, the models' {@code requestTimeout} and {@code maxConcurrency}, and
 *       the LLM settings' {@code retry} and {@code circuit}. Older JSON still holds them; it needs no
 *       rewrite, since Pekko's Jackson ignores unknown properties ({@code FAIL_ON_UNKNOWN_PROPERTIES = off},
 *       Pekko's default, which this project keeps).</li>
 * </ul>
 */
public final class RunSettingsMigration extends JacksonMigration {

    /** The prompt's counts of format 1, with the island settings' field each one now lives in. */
    private static final List<String[]> MOVED = List.of(
            new String[]{"topPrograms", "topPrograms"},
            new String[]{"inspirations", "inspirations"},
            new String[]{"recentFailures", "recentFailures"});

    @Override
    public int currentVersion() {
        return 3;
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        if (fromVersion < 2) {
            moveCounts(json);
        }
        // format 3 only dropped fields, which a read ignores: nothing to rewrite
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
        node.forEach(RunSettingsMigration::moveCounts);
    }
}
