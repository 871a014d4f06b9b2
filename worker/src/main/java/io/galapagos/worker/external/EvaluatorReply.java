package io.galapagos.worker.external;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.Printable;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One result object of an evaluator, read without trusting it:
 * {@code {"score": 1.5, "metrics": {...}, "feedback": "...", "artifacts": {...}}} or
 * {@code {"status": "runtime_error", "reason": "..."}}.
 */
final class EvaluatorReply {

    /** Python's json writes NaN and Infinity as bare tokens; they are read, then refused as non-finite. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Statuses an evaluator may report; OK and SANDBOX_CRASH are Galapagos's to decide. */
    private static final Map<String, EvaluationStatus> REPORTED = Map.of(
            "runtime_error", EvaluationStatus.RUNTIME_ERROR,
            "compile_error", EvaluationStatus.COMPILE_ERROR,
            "constraint_violation", EvaluationStatus.CONSTRAINT_VIOLATION,
            "timeout", EvaluationStatus.TIMEOUT,
            "rejected", EvaluationStatus.REJECTED,
            "memory_exceeded", EvaluationStatus.MEMORY_EXCEEDED);

    /** What the result says: a score, or a failure. */
    sealed interface Verdict permits Scored, Failed {
    }

    /** A finite score, higher is better, and the metrics it came with; {@code feedback} is escaped. */
    record Scored(double score, Map<String, Double> metrics, String feedback) implements Verdict {
    }

    /** A failure and why, escaped. */
    record Failed(EvaluationStatus status, String reason) implements Verdict {
    }

    private EvaluatorReply() {
    }

    /** The line as a JSON object, if it is one. */
    static Optional<ObjectNode> object(String line) {
        String text = line.strip();
        if (!text.startsWith("{")) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(parser);
            // a second value after the object means the line is not one object
            return node instanceof ObjectNode object && parser.nextToken() == null ? Optional.of(object) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The verdict of a result object for a task; texts are escaped and capped at {@code cap} characters. */
    static Verdict verdict(ObjectNode result, TaskDirectory task, int cap) {
        JsonNode status = result.path("status");
        if (!status.isMissingNode() && !status.isNull() && !status.asText().equalsIgnoreCase("ok")) {
            EvaluationStatus reported = REPORTED.get(status.asText().toLowerCase(Locale.ROOT));
            String reason = text(result.path("reason")).orElse("(no reason given)");
            if (reported == null) {
                return new Failed(EvaluationStatus.RUNTIME_ERROR, "the evaluator reported an unknown status '"
                        + capped(status.asText(), 80) + "': " + capped(reason, cap));
            }
            return new Failed(reported, capped(reason, cap));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        StringBuilder feedback = new StringBuilder();
        JsonNode metricNode = result.path("metrics");
        if (!metricNode.isMissingNode() && !metricNode.isNull()) {
            if (!metricNode.isObject()) {
                return new Failed(EvaluationStatus.RUNTIME_ERROR, "the evaluator's \"metrics\" is not an object");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = metricNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = capped(field.getKey(), 200);
                if (field.getValue().isNumber()) {
                    metrics.put(name, field.getValue().asDouble());
                } else {
                    feedback.append(name).append(": ").append(field.getValue().isTextual()
                            ? field.getValue().asText() : field.getValue().toString()).append('\n');
                }
            }
        }
        double raw;
        JsonNode score = result.path("score");
        if (!score.isMissingNode() && !score.isNull()) {
            if (!score.isNumber()) {
                return new Failed(EvaluationStatus.RUNTIME_ERROR, "the evaluator's \"score\" is not a number: "
                        + capped(score.toString(), 80));
            }
            raw = score.asDouble();
        } else if (metrics.containsKey(task.scoreMetric())) {
            raw = metrics.get(task.scoreMetric());
        } else {
            return new Failed(EvaluationStatus.RUNTIME_ERROR, "the evaluator reported no \"score\" and no metric '"
                    + Printable.escape(task.scoreMetric()) + "' (score.metric)");
        }
        if (!Double.isFinite(raw)) {
            return new Failed(EvaluationStatus.CONSTRAINT_VIOLATION, "the evaluator reported a non-finite score " + raw);
        }
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            if (!Double.isFinite(metric.getValue())) {
                return new Failed(EvaluationStatus.CONSTRAINT_VIOLATION, "the evaluator reported a non-finite metric '"
                        + metric.getKey() + "' = " + metric.getValue());
            }
        }
        text(result.path("feedback")).ifPresent(text -> feedback.append(text).append('\n'));
        JsonNode artifacts = result.path("artifacts");
        if (artifacts.isObject()) {
            artifacts.fields().forEachRemaining(field -> feedback.append(field.getKey()).append(": ")
                    .append(field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString())
                    .append('\n'));
        }
        if (!task.higherIsBetter()) {
            // Galapagos maximises; a lower-is-better metric is negated, and the model is told so
            feedback.append("score = -").append(task.scoreMetric()).append(" = ").append(-raw).append(" (")
                    .append(task.scoreMetric()).append(" = ").append(raw).append(", lower is better)\n");
        }
        return new Scored(task.higherIsBetter() ? raw : -raw, metrics, capped(feedback.toString().strip(), cap));
    }

    private static Optional<String> text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isTextual() ? node.asText() : node.toString());
    }

    /** Escaped, at most {@code cap} characters of the original. */
    static String capped(String text, int cap) {
        return Printable.escape(text.length() > cap ? text.substring(0, cap) + "..." : text);
    }

    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
