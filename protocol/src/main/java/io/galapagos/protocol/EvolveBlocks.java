package io.galapagos.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The EVOLVE-BLOCK rule: which lines of a program may change. The controller's generators (the diff
 * applier, the offline and text mutators), the worker's sandbox check and the task folders all read
 * programs through this one class, so what a generator proposes is what a worker accepts.
 *
 * <ol>
 *   <li><b>A marker line</b> holds a comment and nothing else before it: after leading whitespace, a comment
 *   opener ({@code //}, {@code /*}, {@code #}, {@code --}, {@code ;}, {@code %}, {@code <!--}, {@code (*},
 *   <code>{-</code>, its last character possibly repeated as in {@code ///} or {@code ##}), optional blanks, then
 *   {@code EVOLVE-BLOCK-START} or {@code EVOLVE-BLOCK-END} as a whole word; anything may follow
 *   (the end of a block comment, an explanation). Code before the marker ({@code x = 1  # EVOLVE-BLOCK-START}),
 *   a string ({@code "// EVOLVE-BLOCK-START"}) or a longer word ({@code EVOLVE-BLOCK-STARTED}) is no marker.
 *   The controller used to take any line containing the word, the worker only {@code //} lines: the first let a
 *   string or a trailing comment move a block, the second refused every language but Java.</li>
 *   <li><b>Blocks</b>: a START line opens a block, the next END line closes it. A program has at least one
 *   block; blocks do not nest; a second START before the END, an END without a START and a START never
 *   closed make the program {@linkplain Malformed malformed}. The worker used to read a nested START as
 *   block content and a stray END as an ordinary line; two readings of one text are what a hostile
 *   candidate would exploit, so both are refused.</li>
 *   <li><b>What may change</b>: only the lines strictly between a block's markers. A child has as many
 *   blocks as its parent, and the same lines outside them, markers included, in the same order; trailing
 *   whitespace aside, since editors and models drop it.</li>
 *   <li><b>A parent without blocks</b> lets nothing change (the worker used to leave such a parent
 *   entirely open): the generators cannot edit it either, so an open parent would only let through a
 *   child that no generator made.</li>
 * </ol>
 * Lines are split at {@code \n}, {@code \r\n} and {@code \r}; a final newline yields a last empty line.
 * The rule is textual: a marker inside a multi-line string or block comment still counts, in every
 * language alike.
 *
 * @param lines   the program's lines
 * @param regions its blocks in order
 */
public record EvolveBlocks(List<String> lines, List<Region> regions) {

    public static final String START = "EVOLVE-BLOCK-START";
    public static final String END = "EVOLVE-BLOCK-END";

    /** Comment openers a marker may follow; an allow-list, so code or a string before a marker never counts. */
    private static final List<String> COMMENT_OPENERS = List.of("<!--", "//", "/*", "(*", "{-", "--", "#", ";", "%");

    /** The two marker lines. */
    public enum Marker { START, END }

    /** What is wrong with a program's markers. */
    public enum Problem { NO_BLOCK, SECOND_START, END_WITHOUT_START, NEVER_CLOSED }

    /**
     * One block; line indexes are 0-based, the markers themselves are outside.
     *
     * @param startMarker index of the START marker line
     * @param endMarker   index of the END marker line
     */
    public record Region(int startMarker, int endMarker) {
        /** Whether lines {@code [from, to)} (or the insertion point {@code from == to}) lie inside. */
        public boolean contains(int from, int to) {
            return from > startMarker && to <= endMarker;
        }

        /** The 1-based lines that may change, e.g. {@code lines 9-30}. */
        public String describe() {
            return "lines " + (startMarker + 2) + "-" + endMarker;
        }
    }

    /** Why a child may not replace its parent; {@link #line()} is 1-based in the child, 0 for none. */
    public sealed interface Refusal permits Malformed, BlockCount, OutsideChanged {
        int line();

        String message();
    }

    /**
     * Markers that break rule 2.
     *
     * @param whose    names the program in the message ({@code the parent}, {@code the child})
     * @param line     1-based line of the offending marker, 0 when there is none
     * @param openedAt 1-based line of the START still open, 0 when none is
     */
    public record Malformed(String whose, Problem problem, int line, int openedAt) implements Refusal {
        @Override
        public String message() {
            return switch (problem) {
                case NO_BLOCK -> whose + " has no " + START + " / " + END + " comment lines";
                case SECOND_START -> whose + " opens a second " + START + " at line " + line
                        + " before closing the one at line " + openedAt;
                case END_WITHOUT_START -> whose + " has " + END + " at line " + line + " without a " + START;
                case NEVER_CLOSED -> whose + " never closes the " + START + " at line " + openedAt;
            };
        }
    }

    /** The child has a different number of blocks than its parent. */
    public record BlockCount(int parent, int child) implements Refusal {
        @Override
        public int line() {
            return 0;
        }

        @Override
        public String message() {
            return "the child has " + child + " EVOLVE-BLOCK" + (child == 1 ? "" : "s") + ", the parent " + parent;
        }
    }

    /**
     * The first line outside the blocks that differs from the parent's.
     *
     * @param line     1-based line in the child where the difference is seen
     * @param expected the parent's line there, empty when the child has a line the parent lacks
     * @param found    the child's line there, empty when the child lacks one of the parent's lines
     * @param outside  which blocks the line is outside of, as the parent has them
     */
    public record OutsideChanged(int line, Optional<String> expected, Optional<String> found, String outside)
            implements Refusal {
        @Override
        public String message() {
            String detail = expected.isEmpty() ? "added `" + found.orElse("").strip() + "`"
                    : found.isEmpty() ? "removed `" + expected.get().strip() + "`"
                    : "expected `" + expected.get().strip() + "`, found `" + found.get().strip() + "`";
            return "code outside " + outside + " changed: " + detail;
        }
    }

    /** Thrown by {@link #of(String, String)}; carries the typed {@link Malformed}. */
    public static final class MalformedException extends IllegalArgumentException {
        private final transient Malformed malformed;

        MalformedException(Malformed malformed) {
            super(malformed.message());
            this.malformed = malformed;
        }

        public Malformed malformed() {
            return malformed;
        }
    }

    public EvolveBlocks {
        lines = List.copyOf(lines);
        regions = List.copyOf(regions);
    }

    /**
     * The blocks of {@code code}.
     *
     * @param whose names the program in the message of a malformed one
     * @throws MalformedException when the markers break rule 2
     */
    public static EvolveBlocks of(String code, String whose) {
        List<String> lines = splitLines(code);
        List<Region> regions = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < lines.size(); i++) {
            Optional<Marker> marker = marker(lines.get(i));
            if (marker.isEmpty()) {
                continue;
            }
            if (marker.get() == Marker.START) {
                if (open >= 0) {
                    throw malformed(whose, Problem.SECOND_START, i + 1, open + 1);
                }
                open = i;
            } else {
                if (open < 0) {
                    throw malformed(whose, Problem.END_WITHOUT_START, i + 1, 0);
                }
                regions.add(new Region(open, i));
                open = -1;
            }
        }
        if (open >= 0) {
            throw malformed(whose, Problem.NEVER_CLOSED, open + 1, open + 1);
        }
        if (regions.isEmpty()) {
            throw malformed(whose, Problem.NO_BLOCK, 0, 0);
        }
        return new EvolveBlocks(lines, regions);
    }

    private static MalformedException malformed(String whose, Problem problem, int line, int openedAt) {
        return new MalformedException(new Malformed(whose, problem, line, openedAt));
    }

    /** Which marker {@code line} is, by rule 1. */
    public static Optional<Marker> marker(String line) {
        int at = 0;
        while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
            at++;
        }
        String opener = null;
        for (String candidate : COMMENT_OPENERS) {
            if (line.startsWith(candidate, at)) {
                opener = candidate;
                break;
            }
        }
        if (opener == null) {
            return Optional.empty();
        }
        at += opener.length();
        char repeated = opener.charAt(opener.length() - 1);
        while (at < line.length() && line.charAt(at) == repeated) {
            at++;
        }
        while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
            at++;
        }
        for (Marker marker : Marker.values()) {
            String word = marker == Marker.START ? START : END;
            int after = at + word.length();
            if (line.startsWith(word, at) && (after == line.length() || !continuesWord(line.charAt(after)))) {
                return Optional.of(marker);
            }
        }
        return Optional.empty();
    }

    private static boolean continuesWord(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    /** Whether one of {@code lines} is a START marker: they may be a program with a block. */
    public static boolean hasStart(List<String> lines) {
        return lines.stream().anyMatch(l -> marker(l).filter(m -> m == Marker.START).isPresent());
    }

    /**
     * Why {@code child} may not replace {@code parent} by rules 2 to 4, if it may not. The parent's
     * problems come first: a parent without well-formed blocks lets nothing change.
     */
    public static Optional<Refusal> check(String parent, String child) {
        EvolveBlocks before;
        try {
            before = of(parent, "the parent");
        } catch (MalformedException e) {
            return Optional.of(e.malformed());
        }
        EvolveBlocks after;
        try {
            after = of(child, "the child");
        } catch (MalformedException e) {
            return Optional.of(e.malformed());
        }
        return before.changeOutside(after);
    }

    /** Where {@code child} differs from this program outside the blocks (rule 3), if it does. */
    public Optional<Refusal> changeOutside(EvolveBlocks child) {
        Objects.requireNonNull(child, "child");
        if (regions.size() != child.regions.size()) {
            return Optional.of(new BlockCount(regions.size(), child.regions.size()));
        }
        List<List<String>> expected = outside();
        List<List<String>> actual = child.outside();
        for (int part = 0; part < expected.size(); part++) {
            List<String> want = expected.get(part);
            List<String> got = actual.get(part);
            // 1-based line where this part begins in the child: the first line, or the END marker of the block before
            int first = part == 0 ? 1 : child.regions.get(part - 1).endMarker() + 1;
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                Optional<String> w = i < want.size() ? Optional.of(want.get(i)) : Optional.empty();
                Optional<String> g = i < got.size() ? Optional.of(got.get(i)) : Optional.empty();
                if (!w.map(String::stripTrailing).equals(g.map(String::stripTrailing))) {
                    return Optional.of(new OutsideChanged(first + Math.min(i, got.size()), w, g, describeRegions()));
                }
            }
        }
        return Optional.empty();
    }

    /** Lines of {@code text} with {@code \r\n} and {@code \r} read as {@code \n}; a final newline yields a last empty line. */
    public static List<String> splitLines(String text) {
        return List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
    }

    public static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    /** The block holding lines {@code [from, to)}, if any. */
    public Optional<Region> regionContaining(int from, int to) {
        return regions.stream().filter(r -> r.contains(from, to)).findFirst();
    }

    /** Lines outside every block, markers included, one list per gap: n blocks give n + 1 lists. */
    public List<List<String>> outside() {
        List<List<String>> parts = new ArrayList<>();
        int from = 0;
        for (Region r : regions) {
            parts.add(lines.subList(from, r.startMarker() + 1));
            from = r.endMarker();
        }
        parts.add(lines.subList(from, lines.size()));
        return parts;
    }

    /** Lines inside each block. */
    public List<List<String>> inside() {
        List<List<String>> parts = new ArrayList<>();
        for (Region r : regions) {
            parts.add(lines.subList(r.startMarker() + 1, r.endMarker()));
        }
        return parts;
    }

    /** The blocks for a reader, e.g. {@code the EVOLVE-BLOCK (lines 9-30)}. */
    public String describeRegions() {
        return regions.size() == 1 ? "the EVOLVE-BLOCK (" + regions.get(0).describe() + ")"
                : "the EVOLVE-BLOCKs (" + String.join(", ", regions.stream().map(Region::describe).toList()) + ")";
    }
}
