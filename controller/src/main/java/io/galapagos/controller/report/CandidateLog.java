package io.galapagos.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.Usage;
import io.galapagos.protocol.EvaluationRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every candidate of a run on disk as the run goes: its code in {@code candidates/<island>-<sequence>.<ext>}
 * and one line of {@code candidates.jsonl} per outcome, appended in the history's order. Lines:
 * {@code candidate} (an evaluated candidate), {@code test} (the held-out TEST score of a candidate whose
 * line was written before it was tested), {@code failed-proposal} (a proposal that gave no candidate) and
 * {@code re-evaluation} (a stochastic task's would-be best evaluated again, with its own row in the table).
 * Each evaluated candidate also gets its row of {@code history.csv} (see {@link RunOutputs}), appended
 * in the same order; a row appended before its candidate was tested has no TEST score until the table is
 * written in full at the end of the session. Appending again, also from a new process on a resumed run,
 * adds only the lines that are missing.
 */
public final class CandidateLog {

    public static final String FILE = "candidates.jsonl";
    public static final String DIRECTORY = "candidates";
    /** Feedback and reasons are cut here: the full text stays in the journal. */
    static final int MAX_TEXT_CHARS = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final String extension;
    /**
     * Keys of the lines the file holds: {@code candidate:<id>}, {@code test:<id>}, {@code failed:<island>/<seq>},
     * {@code repeat:<id>#repeat-<n>}.
     */
    private final Set<String> written = new HashSet<>();
    /** Candidates (and re-evaluations, {@code <id>#repeat-<n>}) {@code history.csv} has a row of, and how many rows it has. */
    private final Set<String> tabled = new HashSet<>();
    private int tableRows;

    private CandidateLog(Path out, String extension) {
        this.out = out;
        this.extension = extension;
    }

    /**
     * The log of the run in {@code out}, knowing the lines a previous process already wrote; a last line
     * cut by a crash is dropped (it is written again).
     *
     * @param extension of the code files, without the dot ({@code java}, {@code py})
     */
    public static CandidateLog open(Path out, String extension) {
        CandidateLog log = new CandidateLog(out, extension);
        log.readTable();
        Path file = out.resolve(FILE);
        if (!Files.exists(file)) {
            return log;
        }
        try {
            for (String line : completeLines(file)) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    log.written.add(key(node));
                    if (node.has("testStatus")) {
                        log.written.add("test:" + node.path("id").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (remove it to have it written again)", e);
        }
        return log;
    }

    /** The file's lines, a last one cut by a crash dropped from the file too. */
    private static String[] completeLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
            }
        }
        return end == 0 ? new String[0] : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
    }

    /** The candidates {@code history.csv} has rows of; a table of another layout is written again in full. */
    private void readTable() {
        Path file = out.resolve(RunOutputs.HISTORY_FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            String[] lines = completeLines(file);
            if (lines.length == 0 || !lines[0].equals(RunOutputs.HISTORY_HEADER)) {
                Files.delete(file);
                return;
            }
            for (int n = 1; n < lines.length; n++) {
                String line = lines[n];
                int first = line.indexOf(',');
                int second = line.indexOf(',', first + 1);
                if (first > 0 && second > first) {
                    Matcher repeat = RE_EVALUATION_ROW.matcher(line);
                    String candidate = line.substring(first + 1, second);
                    tabled.add(repeat.find() ? EvaluationRequest.repeatId(candidate, Integer.parseInt(repeat.group(1)))
                            : candidate);
                    tableRows++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (remove it to have it written again)", e);
        }
    }

    /** How a re-evaluation's row of {@code history.csv} says which one it is (generator, ..., summary). */
    private static final Pattern RE_EVALUATION_ROW = Pattern.compile(
            "," + RunOutputs.RE_EVALUATION + ",.*,re-evaluation (\\d+),");

    private static String key(JsonNode line) {
        String type = line.path("type").asText();
        return switch (type) {
            case "failed-proposal" -> failedKey(line.path("island").asText(), line.path("sequence").asLong());
            case RunOutputs.RE_EVALUATION -> "repeat:" + EvaluationRequest.repeatId(line.path("id").asText(),
                    line.path("repeat").asInt());
            default -> type + ":" + line.path("id").asText();
        };
    }

    private static String failedKey(String island, long sequence) {
        return "failed:" + island + "/" + sequence;
    }

    /** The code file of a candidate, relative to the run's folder: {@code candidates/0-17.java}. */
    public static String codeFile(RunHistory.Candidate candidate, String extension) {
        String island = candidate.island();
        String islandNo = island.substring(island.lastIndexOf('/') + 1);
        return DIRECTORY + "/" + islandNo + "-" + candidate.sequence() + "." + extension;
    }

    /**
     * Writes the code and appends the lines of every outcome in {@code history} the file does not hold yet.
     *
     * @return how many lines it appended
     */
    public int append(RunHistory history) {
        return append(history, UnaryOperator.identity());
    }

    /**
     * The same, taking each candidate it writes through {@code full}: a {@link RunHistory.Reader}'s
     * histories may hold candidates without their code, which {@code full} brings back.
     */
    public synchronized int append(RunHistory history, UnaryOperator<RunHistory.Candidate> full) {
        StringBuilder lines = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        // keys join the written ones only once their lines are on disk: a failed write is tried again
        Set<String> added = new HashSet<>();
        Set<String> addedRows = new HashSet<>();
        try {
            List<RunHistory.Candidate> evaluated = history.evaluated();
            for (RunHistory.Candidate held : evaluated) {
                boolean line = fresh("candidate:" + held.candidateId(), added);
                boolean row = !tabled.contains(held.candidateId()) && addedRows.add(held.candidateId());
                if (!line && !row) {
                    continue;
                }
                RunHistory.Candidate c = full.apply(held);
                if (line) {
                    Path code = out.resolve(codeFile(c, extension));
                    Files.createDirectories(code.getParent());
                    Files.writeString(code, c.code(), StandardCharsets.UTF_8);
                    // a test known now goes on the candidate's own line; one known later gets a test line
                    c.test().ifPresent(t -> added.add("test:" + c.candidateId()));
                    lines.append(JSON.writeValueAsString(candidateLine(c))).append('\n');
                }
                if (row) {
                    RunOutputs.appendHistoryRow(rows, tableRows + addedRows.size(), c);
                }
            }
            if (!history.reEvaluations().isEmpty()) {
                Map<String, RunHistory.Candidate> byId = new HashMap<>();
                evaluated.forEach(c -> byId.put(c.candidateId(), c));
                history.reEvaluations().forEach((id, repeats) -> {
                    RunHistory.Candidate c = byId.get(id);
                    for (RunHistory.ReEvaluation r : c == null ? List.<RunHistory.ReEvaluation>of() : repeats) {
                        String key = EvaluationRequest.repeatId(id, r.repeat());
                        if (fresh("repeat:" + key, added)) {
                            lines.append(writeJson(reEvaluationLine(c, r))).append('\n');
                        }
                        if (!tabled.contains(key) && addedRows.add(key)) {
                            RunOutputs.appendReEvaluationRow(rows, tableRows + addedRows.size(), c, r);
                        }
                    }
                });
            }
            for (RunHistory.Candidate c : evaluated) {
                if (c.test().isPresent() && fresh("test:" + c.candidateId(), added)) {
                    lines.append(JSON.writeValueAsString(testLine(c))).append('\n');
                }
            }
            for (RunHistory.FailedProposal f : history.proposalFailures()) {
                if (fresh(failedKey(f.island(), f.sequence()), added)) {
                    lines.append(JSON.writeValueAsString(failedLine(f))).append('\n');
                }
            }
            if (!lines.isEmpty()) {
                Files.createDirectories(out);
                Files.writeString(out.resolve(FILE), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            if (!rows.isEmpty()) {
                Path table = out.resolve(RunOutputs.HISTORY_FILE);
                if (!Files.exists(table)) {
                    rows.insert(0, RunOutputs.HISTORY_HEADER + "\n");
                }
                Files.writeString(table, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the candidates to " + out, e);
        }
        int appended = (int) lines.chars().filter(ch -> ch == '\n').count();
        written.addAll(added);
        tabled.addAll(addedRows);
        tableRows += addedRows.size();
        return appended;
    }

    private boolean fresh(String key, Set<String> added) {
        return !written.contains(key) && added.add(key);
    }

    private Map<String, Object> candidateLine(RunHistory.Candidate c) {
        RunHistory.Evaluation e = c.evaluation().orElseThrow();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "candidate");
        line.put("id", c.candidateId());
        line.put("island", c.island());
        line.put("sequence", c.sequence());
        line.put("parent", c.parentId().orElse(null));
        line.put("generator", c.generator());
        line.put("file", codeFile(c, extension));
        line.put("status", e.status().name());
        line.put("split", e.split());
        line.put("score", finite(e.score()));
        line.put("metrics", finiteMap(e.metrics()));
        c.test().ifPresent(t -> putTest(line, t));
        line.put("summary", cut(c.summary()));
        line.put("feedback", cut(e.feedback()));
        line.put("elapsedMs", e.elapsedMillis());
        line.put("worker", e.worker());
        putUsage(line, c.usage());
        return line;
    }

    private static String writeJson(Map<String, Object> line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stochastic task's would-be best evaluated again: one more sample of its score. */
    private static Map<String, Object> reEvaluationLine(RunHistory.Candidate c, RunHistory.ReEvaluation r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", RunOutputs.RE_EVALUATION);
        line.put("id", c.candidateId());
        line.put("island", c.island());
        line.put("repeat", r.repeat());
        line.put("status", r.status().name());
        line.put("split", r.split());
        line.put("score", finite(r.score()));
        line.put("elapsedMs", r.elapsedMillis());
        line.put("worker", r.worker());
        return line;
    }

    private static Map<String, Object> testLine(RunHistory.Candidate c) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "test");
        line.put("id", c.candidateId());
        line.put("island", c.island());
        putTest(line, c.test().orElseThrow());
        return line;
    }

    private static void putTest(Map<String, Object> line, RunHistory.Evaluation test) {
        line.put("testStatus", test.status().name());
        line.put("testScore", finite(test.score()));
        line.put("testMetrics", finiteMap(test.metrics()));
    }

    private static Map<String, Object> failedLine(RunHistory.FailedProposal f) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "failed-proposal");
        line.put("island", f.island());
        line.put("sequence", f.sequence());
        line.put("parent", f.parentId());
        line.put("generator", f.generator());
        line.put("kind", f.kind());
        line.put("reason", cut(f.reason()));
        putUsage(line, f.usage());
        return line;
    }

    private static void putUsage(Map<String, Object> line, Usage usage) {
        line.put("promptTokens", usage.promptTokens());
        line.put("completionTokens", usage.completionTokens());
        line.put("costUsd", usage.costUsd());
    }

    /** Scores of failed evaluations are minus infinity, which JSON cannot hold: null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Map<String, Double> finiteMap(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, finite(v)));
        return out;
    }

    static String cut(String text) {
        return text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS) + "... ("
                + (text.length() - MAX_TEXT_CHARS) + " more characters in the journal)";
    }
}
