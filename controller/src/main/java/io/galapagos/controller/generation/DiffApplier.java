package io.galapagos.controller.generation;

import io.galapagos.protocol.EvolveBlocks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Applies a generator's answer to the parent: SEARCH/REPLACE blocks (several per answer, inside code
 * fences or not, prose around them ignored) or a whole program. Every edit must stay inside the
 * EVOLVE-BLOCK; a block that matches nothing or matches twice, an edit outside the block and an answer
 * that changes nothing are all rejected with a reason naming the block, never silently skipped.
 */
public final class DiffApplier {

    private static final Pattern SEARCH_LINE = Pattern.compile("^\\s*<{5,9}\\s*SEARCH\\b.*$");
    private static final Pattern DIVIDER_LINE = Pattern.compile("^\\s*={5,9}\\s*$");
    private static final Pattern REPLACE_LINE = Pattern.compile("^\\s*>{5,9}\\s*REPLACE\\b.*$");
    private static final Pattern FENCE_LINE = Pattern.compile("^\\s*```.*$");
    private static final int QUOTE_CHARS = 80;

    private DiffApplier() {
    }

    /** The result of applying an answer. */
    public sealed interface Outcome permits Applied, Rejected {
    }

    /**
     * The child program.
     *
     * @param summary what was applied, e.g. {@code 2 SEARCH/REPLACE blocks (1 matched ignoring indentation)}
     */
    public record Applied(String code, String summary) implements Outcome {
    }

    /** Nothing applied; {@code reason} is precise enough for a model to fix its next answer. */
    public record Rejected(String reason) implements Outcome {
    }

    /** Applies {@code answer} to a Java {@code parent}, preferring the form that {@code format} asked for. */
    public static Outcome applyAnswer(String parent, String answer, AnswerFormat format) {
        return applyAnswer(parent, answer, format, SourceLanguage.JAVA);
    }

    /**
     * Applies {@code answer} to {@code parent}, preferring the form that {@code format} asked for. A
     * fenced program is taken whatever its fence's tag; {@code language} only names what was missing.
     */
    public static Outcome applyAnswer(String parent, String answer, AnswerFormat format, SourceLanguage language) {
        try {
            Optional<String> program = fencedProgram(answer);
            if (format == AnswerFormat.FULL_REWRITE && program.isPresent()) {
                return rewrite(parent, program.get());
            }
            List<EditBlock> blocks = parseBlocks(answer);
            if (!blocks.isEmpty()) {
                return apply(parent, blocks);
            }
            if (program.isPresent()) {
                return rewrite(parent, program.get());
            }
            return new Rejected(format == AnswerFormat.DIFF
                    ? "the answer has no SEARCH/REPLACE block (" + EditBlock.SEARCH_MARKER + " / " + EditBlock.DIVIDER
                            + " / " + EditBlock.REPLACE_MARKER + ") and no fenced program"
                    : "the answer has no fenced " + language.fenceTag() + " program containing the EVOLVE-BLOCK markers");
        } catch (EditRejected e) {
            return new Rejected(e.getMessage());
        }
    }

    /** Applies blocks in order, each to the result of the previous ones. */
    public static Outcome applyBlocks(String parent, List<EditBlock> blocks) {
        try {
            return apply(parent, blocks);
        } catch (EditRejected e) {
            return new Rejected(e.getMessage());
        }
    }

    /** Takes {@code program} as the child if it differs from {@code parent} only inside the EVOLVE-BLOCK. */
    public static Outcome applyRewrite(String parent, String program) {
        try {
            return rewrite(parent, program);
        } catch (EditRejected e) {
            return new Rejected(e.getMessage());
        }
    }

    /**
     * The SEARCH/REPLACE blocks of an answer in order; lines outside blocks (prose, fences) are ignored.
     * A block cut short (a truncated answer) is rejected rather than guessed.
     */
    public static List<EditBlock> parseBlocks(String answer) {
        List<EditBlock> blocks = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> replace = new ArrayList<>();
        int state = 0; // 0 outside, 1 in SEARCH, 2 in REPLACE
        for (String line : EvolveBlocks.splitLines(answer)) {
            int number = blocks.size() + 1;
            if (state == 0) {
                if (SEARCH_LINE.matcher(line).matches()) {
                    state = 1;
                } else if (DIVIDER_LINE.matcher(line).matches() || REPLACE_LINE.matcher(line).matches()) {
                    throw new EditRejected("block " + number + ": '" + line.strip() + "' without a preceding "
                            + EditBlock.SEARCH_MARKER);
                }
            } else if (state == 1) {
                if (DIVIDER_LINE.matcher(line).matches()) {
                    state = 2;
                } else if (SEARCH_LINE.matcher(line).matches() || REPLACE_LINE.matcher(line).matches()) {
                    throw new EditRejected("block " + number + ": '" + line.strip() + "' before the "
                            + EditBlock.DIVIDER + " that ends its SEARCH part");
                } else {
                    search.add(line);
                }
            } else {
                if (REPLACE_LINE.matcher(line).matches()) {
                    blocks.add(new EditBlock(number, search, replace));
                    search.clear();
                    replace.clear();
                    state = 0;
                } else if (SEARCH_LINE.matcher(line).matches() || DIVIDER_LINE.matcher(line).matches()) {
                    throw new EditRejected("block " + number + ": '" + line.strip() + "' before the "
                            + EditBlock.REPLACE_MARKER + " that ends it");
                } else {
                    replace.add(line);
                }
            }
        }
        if (state != 0) {
            throw new EditRejected("block " + (blocks.size() + 1) + ": the answer ends before its "
                    + (state == 1 ? EditBlock.DIVIDER : EditBlock.REPLACE_MARKER) + " (truncated answer?)");
        }
        return blocks;
    }

    /**
     * The program of an answer: the last fenced block holding the EVOLVE-BLOCK markers and no
     * SEARCH/REPLACE markers, or the whole answer when it is an unfenced program.
     */
    public static Optional<String> fencedProgram(String answer) {
        List<String> lines = EvolveBlocks.splitLines(answer);
        String found = null;
        List<String> body = null;
        for (String line : lines) {
            if (FENCE_LINE.matcher(line).matches()) {
                if (body == null) {
                    body = new ArrayList<>();
                } else {
                    if (isProgram(body)) {
                        found = EvolveBlocks.join(body) + "\n";
                    }
                    body = null;
                }
            } else if (body != null) {
                body.add(line);
            }
        }
        if (found == null && lines.stream().noneMatch(l -> FENCE_LINE.matcher(l).matches()) && isProgram(lines)) {
            found = answer.strip() + "\n";
        }
        return Optional.ofNullable(found);
    }

    private static boolean isProgram(List<String> lines) {
        return EvolveBlocks.hasStart(lines) && lines.stream().noneMatch(l -> SEARCH_LINE.matcher(l).matches());
    }

    /** The blocks of {@code code} by the shared rule; malformed markers reject the answer with the rule's reason. */
    private static EvolveBlocks evolveBlocks(String code, String whose) {
        try {
            return EvolveBlocks.of(code, whose);
        } catch (EvolveBlocks.MalformedException e) {
            throw new EditRejected(e.getMessage());
        }
    }

    private static Outcome apply(String parent, List<EditBlock> blocks) {
        EvolveBlocks original = evolveBlocks(parent, "the parent");
        List<String> lines = new ArrayList<>(original.lines());
        int tolerant = 0;
        for (EditBlock block : blocks) {
            String where = blocks.size() == 1 ? "the block" : "block " + block.number() + " of " + blocks.size();
            EvolveBlocks current = evolveBlocks(EvolveBlocks.join(lines), "the program after the blocks before " + where);
            Match match = locate(lines, block, where);
            if (!match.exact()) {
                tolerant++;
            }
            checkInside(current, lines, match, where);
            List<String> next = new ArrayList<>(lines.subList(0, match.from()));
            next.addAll(match.replacement());
            next.addAll(lines.subList(match.to(), lines.size()));
            lines = next;
        }
        String code = EvolveBlocks.join(lines);
        checkOutsideUnchanged(original, evolveBlocks(code, "the child"));
        if (code.equals(EvolveBlocks.join(original.lines()))) {
            throw new EditRejected("the SEARCH/REPLACE blocks change nothing: each REPLACE equals its SEARCH");
        }
        String summary = blocks.size() + " SEARCH/REPLACE block" + (blocks.size() == 1 ? "" : "s")
                + (tolerant == 0 ? "" : " (" + tolerant + " matched ignoring indentation)");
        return new Applied(code, summary);
    }

    /** Where a block applies: lines {@code [from, to)} replaced by {@code replacement}. */
    private record Match(int from, int to, List<String> replacement, boolean exact) {
    }

    private static Match locate(List<String> lines, EditBlock block, String where) {
        if (block.search().stream().allMatch(String::isBlank)) {
            throw new EditRejected(where + ": SEARCH is empty; quote the exact lines to replace");
        }
        List<Integer> exact = occurrences(lines, block.search(), false);
        if (exact.size() == 1) {
            int from = exact.get(0);
            return new Match(from, from + block.search().size(), block.replace(), true);
        }
        if (exact.size() > 1) {
            throw ambiguous(where, exact);
        }
        List<String> search = trimBlankEnds(block.search());
        List<Integer> loose = occurrences(lines, search, true);
        if (loose.size() > 1) {
            throw ambiguous(where, loose);
        }
        if (loose.isEmpty()) {
            throw new EditRejected(where + ": SEARCH matches nothing in the program, not even ignoring indentation"
                    + closest(lines, search));
        }
        int from = loose.get(0);
        List<String> replacement = reindent(trimBlankEnds(block.replace()), search.get(0), lines.get(from));
        return new Match(from, from + search.size(), replacement, false);
    }

    private static EditRejected ambiguous(String where, List<Integer> at) {
        return new EditRejected(where + ": SEARCH matches " + at.size() + " places (lines "
                + String.join(", ", at.stream().map(i -> String.valueOf(i + 1)).toList())
                + "); include more surrounding lines so that it matches exactly one");
    }

    private static List<Integer> occurrences(List<String> lines, List<String> search, boolean loose) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + search.size() <= lines.size(); i++) {
            if (matchesAt(lines, search, i, loose) == search.size()) {
                found.add(i);
            }
        }
        return found;
    }

    /** How many leading lines of {@code search} match from line {@code at}. */
    private static int matchesAt(List<String> lines, List<String> search, int at, boolean loose) {
        int n = 0;
        while (n < search.size() && at + n < lines.size()) {
            String a = lines.get(at + n);
            String b = search.get(n);
            if (!(loose ? a.strip().equals(b.strip()) : a.equals(b))) {
                break;
            }
            n++;
        }
        return n;
    }

    /** The longest partial match, so the reason says which SEARCH line is wrong. */
    private static String closest(List<String> lines, List<String> search) {
        int best = 0;
        int bestAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            int n = matchesAt(lines, search, i, true);
            if (n > best) {
                best = n;
                bestAt = i;
            }
        }
        if (bestAt < 0) {
            return "; its first line '" + quote(search.get(0)) + "' occurs nowhere";
        }
        String found = bestAt + best < lines.size() ? "'" + quote(lines.get(bestAt + best)) + "'" : "the end of the program";
        return "; its first " + best + " line" + (best == 1 ? "" : "s") + " match at line " + (bestAt + 1)
                + ", but SEARCH line " + (best + 1) + " '" + quote(search.get(best)) + "' differs from line "
                + (bestAt + best + 1) + " " + found;
    }

    private static String quote(String line) {
        String s = line.strip();
        return s.length() <= QUOTE_CHARS ? s : s.substring(0, QUOTE_CHARS) + "...";
    }

    private static List<String> trimBlankEnds(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }

    /** Shifts the replacement by the indentation difference between SEARCH and the program. */
    private static List<String> reindent(List<String> replacement, String searchFirst, String matchedFirst) {
        String from = indentation(searchFirst);
        String to = indentation(matchedFirst);
        if (from.equals(to)) {
            return replacement;
        }
        List<String> out = new ArrayList<>();
        for (String line : replacement) {
            if (line.isBlank()) {
                out.add(line);
            } else if (line.startsWith(from)) {
                out.add(to + line.substring(from.length()));
            } else if (from.startsWith(indentation(line)) && to.length() > from.length()) {
                out.add(to.substring(0, to.length() - from.length()) + line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static String indentation(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }

    /** Rejects an edit whose changed lines (common head and tail removed) leave the EVOLVE-BLOCK. */
    private static void checkInside(EvolveBlocks program, List<String> lines, Match m, String where) {
        List<String> old = lines.subList(m.from(), m.to());
        List<String> neu = m.replacement();
        int head = 0;
        while (head < old.size() && head < neu.size() && old.get(head).equals(neu.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < old.size() - head && tail < neu.size() - head
                && old.get(old.size() - 1 - tail).equals(neu.get(neu.size() - 1 - tail))) {
            tail++;
        }
        int from = m.from() + head;
        int to = m.to() - tail;
        if (from == to && head == neu.size() - tail) {
            return; // this block changes nothing; the whole answer is checked for that
        }
        if (program.regionContaining(from, to).isEmpty()) {
            int line = from < to ? firstOutside(program, from, to) : from;
            String what = from < to
                    ? "changes line " + (line + 1) + " '" + quote(lines.get(line)) + "'"
                    : "inserts lines before line " + (line + 1);
            throw new EditRejected(where + ": " + what + ", outside " + program.describeRegions()
                    + "; only the lines between the EVOLVE-BLOCK-START and EVOLVE-BLOCK-END comments may change");
        }
    }

    private static int firstOutside(EvolveBlocks program, int from, int to) {
        for (int i = from; i < to; i++) {
            if (program.regionContaining(i, i + 1).isEmpty()) {
                return i;
            }
        }
        return from;
    }

    /** The shared rule's last word on a child: the same blocks, the same lines outside them. */
    private static void checkOutsideUnchanged(EvolveBlocks parent, EvolveBlocks child) {
        parent.changeOutside(child).ifPresent(refusal -> {
            throw new EditRejected(refusal.message());
        });
    }

    private static Outcome rewrite(String parent, String program) {
        EvolveBlocks old = evolveBlocks(parent, "the parent");
        EvolveBlocks neu = evolveBlocks(program, "the rewritten program");
        if (old.regions().size() != neu.regions().size()) {
            throw new EditRejected("the rewritten program has " + neu.regions().size()
                    + " EVOLVE-BLOCKs, the parent " + old.regions().size());
        }
        List<List<String>> a = old.outside();
        List<List<String>> b = neu.outside();
        for (int part = 0; part < a.size(); part++) {
            List<String> x = significant(a.get(part));
            List<String> y = significant(b.get(part));
            for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
                String p = i < x.size() ? x.get(i) : "<nothing>";
                String c = i < y.size() ? y.get(i) : "<nothing>";
                if (!p.equals(c)) {
                    throw new EditRejected("the rewritten program changes code outside " + old.describeRegions()
                            + ": where the parent has '" + quote(p) + "' it has '" + quote(c) + "'");
                }
            }
        }
        // The child keeps the parent's text outside the block byte for byte.
        List<String> lines = new ArrayList<>();
        List<List<String>> inside = neu.inside();
        for (int part = 0; part < a.size(); part++) {
            lines.addAll(a.get(part));
            if (part < inside.size()) {
                lines.addAll(inside.get(part));
            }
        }
        String code = EvolveBlocks.join(lines);
        if (old.inside().equals(inside)) {
            throw new EditRejected("the rewritten program's EVOLVE-BLOCK is identical to the parent's");
        }
        checkOutsideUnchanged(old, evolveBlocks(code, "the child"));
        return new Applied(code, "full rewrite");
    }

    /**
     * Non-blank lines without trailing spaces: how a model's rewrite is read before the parent's outside
     * text is put back, so a dropped blank line costs nothing (the child is then held to the shared rule).
     */
    private static List<String> significant(List<String> lines) {
        return lines.stream().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }
}
