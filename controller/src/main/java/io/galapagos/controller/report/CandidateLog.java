package io.galapagos.controller.report;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.Usage;
import io.galapagos.protocol.EvaluationRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
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
    /** The lines the file holds (candidate, test and failed-proposal) and the rows of {@code history.csv}. */
    private OutcomeKeys written = new OutcomeKeys();
    /**
     * A stochastic task's re-evaluations ({@code <id>#repeat-<n>}) the file has a line of and {@code history.csv}
     * a row of: a few per new best, so kept as text.
     */
    private final Set<String> repeatLines = new HashSet<>();
    private final Set<String> repeatRows = new HashSet<>();
    private int tableRows;

    /** What a line of the file is about; a key to be added once its line is on disk. */
    private record Key(OutcomeKeys.Kind kind, String island, long sequence) {
    }

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
        if (Files.exists(file)) {
            try {
                log.readKeys(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " (remove it to have it written again)", e);
            }
        }
        return log;
    }

    /**
     * The keys of the file's lines, read in chunks, and only as far into each line as its key goes: a
     * resumed long run's file holds tens of megabytes of metrics, which a new process does not parse.
     * A last line cut by a crash is dropped from the file.
     */
    private void readKeys(Path file) throws IOException {
        long complete = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[1 << 20];
            byte[] line = new byte[8192];
            int length = 0;
            long position = 0;
            int read;
            while ((read = channel.read(ByteBuffer.wrap(chunk))) > 0) {
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (chunk[i] == '\n') {
                        line = appended(line, length, chunk, start, i - start);
                        readKey(line, length + i - start);
                        length = 0;
                        start = i + 1;
                        complete = position + i + 1;
                    }
                }
                line = appended(line, length, chunk, start, read - start);
                length += read - start;
                position += read;
            }
            if (complete < position) {
                channel.truncate(complete);
            }
        }
    }

    /** {@code line} (or a longer copy) with {@code count} bytes of {@code from} written after its first {@code length}. */
    private static byte[] appended(byte[] line, int length, byte[] from, int start, int count) {
        byte[] to = length + count <= line.length ? line : Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        System.arraycopy(from, start, to, length, count);
        return to;
    }

    /** Adds the key of one line; a candidate line with its TEST score holds the test's key too. */
    private void readKey(byte[] line, int length) throws IOException {
        String type = null;
        String id = null;
        String island = null;
        long sequence = -1;
        int repeat = -1;
        try (JsonParser parser = JSON.getFactory().createParser(line, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                if (isBlank(line, length)) {
                    return;
                }
                throw new JsonParseException(parser, "a line that is not an object");
            }
            // the writer puts type, id, island and sequence first: stop at the first object (metrics)
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    break;
                }
                switch (field) {
                    case "type" -> type = parser.getText();
                    case "id" -> id = parser.getText();
                    case "island" -> island = parser.getText();
                    case "sequence" -> sequence = parser.getLongValue();
                    case "repeat" -> repeat = parser.getIntValue();
                    default -> {
                    }
                }
            }
        }
        if (RunOutputs.RE_EVALUATION.equals(type) && id != null && repeat >= 0) {
            repeatLines.add(EvaluationRequest.repeatId(id, repeat));
        } else if ("failed-proposal".equals(type) && island != null) {
            written.add(OutcomeKeys.Kind.FAILED, island, sequence);
        } else if (id != null) {
            boolean candidate = "candidate".equals(type);
            written.addCandidate(candidate ? OutcomeKeys.Kind.CANDIDATE : OutcomeKeys.Kind.TEST, id);
            if (candidate && holds(line, length, TEST_FIELD)) {
                written.addCandidate(OutcomeKeys.Kind.TEST, id);
            }
        }
    }

    /**
     * The top-level field a candidate line has when its TEST score was known: no text holds it (quotes in
     * strings are escaped) and no metric either (their values are numbers, not strings).
     */
    private static final byte[] TEST_FIELD = "\"testStatus\":\"".getBytes(StandardCharsets.UTF_8);

    private static boolean holds(byte[] line, int length, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (line[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(line[i])) {
                return false;
            }
        }
        return true;
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
                    if (repeat.find()) {
                        repeatRows.add(EvaluationRequest.repeatId(candidate, Integer.parseInt(repeat.group(1))));
                    } else {
                        written.addCandidate(OutcomeKeys.Kind.ROW, candidate);
                    }
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
        return append(history, full, false);
    }

    /**
     * The same, appending to {@code failed-proposals.csv} too the row of each failed proposal it appends a line
     * for, when {@code failedTable}: a running run's reader lists only its recent failed proposals (see
     * {@link RunHistory.Reader#readToWrite}), so the file grows with {@code candidates.jsonl} instead of
     * being written whole; the end of the run writes it whole again.
     */
    public synchronized int append(RunHistory history, UnaryOperator<RunHistory.Candidate> full, boolean failedTable) {
        StringBuilder lines = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        StringBuilder failedRows = new StringBuilder();
        // keys join the written ones only once their lines are on disk: a failed write is tried again
        Set<Key> added = new HashSet<>();
        Set<Key> addedRows = new HashSet<>();
        Set<String> addedRepeats = new HashSet<>();
        Set<String> addedRepeatRows = new HashSet<>();
        try {
            List<RunHistory.Candidate> evaluated = history.evaluated();
            for (RunHistory.Candidate held : evaluated) {
                boolean line = fresh(new Key(OutcomeKeys.Kind.CANDIDATE, held.island(), held.sequence()), added);
                Key rowKey = new Key(OutcomeKeys.Kind.ROW, held.island(), held.sequence());
                boolean row = !written.contains(rowKey.kind(), rowKey.island(), rowKey.sequence()) && addedRows.add(rowKey);
                if (!line && !row) {
                    continue;
                }
                RunHistory.Candidate c = full.apply(held);
                if (line) {
                    Path code = out.resolve(codeFile(c, extension));
                    Files.createDirectories(code.getParent());
                    Files.writeString(code, c.code(), StandardCharsets.UTF_8);
                    // a test known now goes on the candidate's own line; one known later gets a test line
                    c.test().ifPresent(t -> added.add(new Key(OutcomeKeys.Kind.TEST, c.island(), c.sequence())));
                    lines.append(JSON.writeValueAsString(candidateLine(c))).append('\n');
                }
                if (row) {
                    RunOutputs.appendHistoryRow(rows, tableRows + addedRows.size() + addedRepeatRows.size(), c);
                }
            }
            if (!history.reEvaluations().isEmpty()) {
                Map<String, RunHistory.Candidate> byId = new HashMap<>();
                evaluated.forEach(c -> byId.put(c.candidateId(), c));
                history.reEvaluations().forEach((id, repeats) -> {
                    RunHistory.Candidate c = byId.get(id);
                    for (RunHistory.ReEvaluation r : c == null ? List.<RunHistory.ReEvaluation>of() : repeats) {
                        String key = EvaluationRequest.repeatId(id, r.repeat());
                        if (!repeatLines.contains(key) && addedRepeats.add(key)) {
                            lines.append(writeJson(reEvaluationLine(c, r))).append('\n');
                        }
                        if (!repeatRows.contains(key) && addedRepeatRows.add(key)) {
                            RunOutputs.appendReEvaluationRow(rows, tableRows + addedRows.size() + addedRepeatRows.size(),
                                    c, r);
                        }
                    }
                });
            }
            for (RunHistory.Candidate c : evaluated) {
                if (c.test().isPresent() && fresh(new Key(OutcomeKeys.Kind.TEST, c.island(), c.sequence()), added)) {
                    lines.append(JSON.writeValueAsString(testLine(c))).append('\n');
                }
            }
            for (RunHistory.FailedProposal f : history.proposalFailures()) {
                if (fresh(new Key(OutcomeKeys.Kind.FAILED, f.island(), f.sequence()), added)) {
                    lines.append(JSON.writeValueAsString(failedLine(f))).append('\n');
                    if (failedTable) {
                        RunOutputs.appendFailedProposalRow(failedRows, f);
                    }
                }
            }
            if (!lines.isEmpty()) {
                Files.createDirectories(out);
                Files.writeString(out.resolve(FILE), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            if (!failedRows.isEmpty()) {
                Path failedFile = out.resolve(RunOutputs.FAILED_PROPOSALS_FILE);
                if (!Files.exists(failedFile)) {
                    failedRows.insert(0, RunOutputs.FAILED_PROPOSALS_HEADER + "\n");
                }
                Files.writeString(failedFile, failedRows, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
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
        added.forEach(key -> written.add(key.kind(), key.island(), key.sequence()));
        addedRows.forEach(key -> written.add(key.kind(), key.island(), key.sequence()));
        repeatLines.addAll(addedRepeats);
        repeatRows.addAll(addedRepeatRows);
        tableRows += addedRows.size() + addedRepeatRows.size();
        if (failedTable) {
            forgetUnlisted(history);
        }
        return appended;
    }

    /** Keys kept beyond four per outcome a history lists before those of unlisted outcomes go. */
    static final int FORGET_SLACK = 1_000;

    /**
     * Forgets the keys of outcomes {@code history} does not list, once they are many: a {@link RunHistory.Reader}
     * counts the candidates and failed proposals the log has had rather than listing them again, so their
     * keys would only grow with the run. The files keep their lines; a new log reads the keys back from them.
     */
    /** How many outcomes the log knows it holds (its keys). */
    int keys() {
        return written.size();
    }

    private void forgetUnlisted(RunHistory history) {
        long listed = history.candidates().size() + history.proposalFailures().size();
        if (written.size() <= 4 * listed + FORGET_SLACK) {
            return;
        }
        OutcomeKeys kept = new OutcomeKeys();
        for (RunHistory.Candidate c : history.candidates()) {
            for (OutcomeKeys.Kind kind : List.of(OutcomeKeys.Kind.CANDIDATE, OutcomeKeys.Kind.TEST, OutcomeKeys.Kind.ROW)) {
                if (written.contains(kind, c.island(), c.sequence())) {
                    kept.add(kind, c.island(), c.sequence());
                }
            }
        }
        for (RunHistory.FailedProposal f : history.proposalFailures()) {
            if (written.contains(OutcomeKeys.Kind.FAILED, f.island(), f.sequence())) {
                kept.add(OutcomeKeys.Kind.FAILED, f.island(), f.sequence());
            }
        }
        written = kept;
    }

    private boolean fresh(Key key, Set<Key> added) {
        return !written.contains(key.kind(), key.island(), key.sequence()) && added.add(key);
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
        line.put("variant", c.variant().map(PromptVariant::key).orElse(null));
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
        line.put("variant", f.variant().map(PromptVariant::key).orElse(null));
        line.put("kind", f.kind().key());
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
