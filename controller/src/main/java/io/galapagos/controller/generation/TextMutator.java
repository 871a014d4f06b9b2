package io.galapagos.controller.generation;

import io.galapagos.controller.generation.LexedSource.Line;
import io.galapagos.controller.generation.LexedSource.Token;
import io.galapagos.controller.generation.LexedSource.Type;
import io.galapagos.protocol.EvolveBlocks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * The offline engine for programs in any language but Java: edits the text of the lines strictly inside
 * the EVOLVE-BLOCKs, never inside a string or comment ({@link LexedSource} tells them apart). It scales
 * and shifts numbers (ints stay ints), changes comparisons, exchanges + and - or * and /, flips booleans
 * and swaps two adjacent simple statements. Every choice comes from the request's seed; the child is
 * checked by the same {@link DiffApplier} rule as a model's rewrite.
 */
public final class TextMutator implements SolutionGenerator {

    /** The edits this engine makes. */
    public enum Kind {
        /** A numeric literal multiplied by a factor (0.5 to 2). */
        CONSTANT_SCALED,
        /** A numeric literal moved by a step of its own magnitude (ints by 1 or 2). */
        CONSTANT_SHIFTED,
        /** {@code <}, {@code <=}, {@code >}, {@code >=} replaced by another; {@code ==} and {@code !=} exchanged. */
        COMPARISON_CHANGED,
        /** A binary {@code +} and {@code -}, or {@code *} and {@code /}, exchanged. */
        ARITHMETIC_CHANGED,
        /** A boolean literal replaced by the other. */
        BOOLEAN_FLIPPED,
        /** Two adjacent simple statements at the same indentation exchanged. */
        STATEMENTS_SWAPPED
    }

    /**
     * How this engine mutates.
     *
     * @param weights      relative chance of each kind among those with a site; a missing kind is never used
     * @param maxMutations a proposal makes between 1 and this many mutations
     */
    public record Settings(Map<Kind, Double> weights, int maxMutations) {

        public Settings {
            weights = Map.copyOf(weights);
            if (weights.values().stream().anyMatch(w -> !(w >= 0))) {
                throw new IllegalArgumentException("mutation weights must be >= 0: " + weights);
            }
            if (weights.values().stream().noneMatch(w -> w > 0)) {
                throw new IllegalArgumentException("at least one mutation kind needs a positive weight");
            }
            if (maxMutations < 1) {
                throw new IllegalArgumentException("maxMutations must be >= 1, got " + maxMutations);
            }
        }

        /** Constants and comparisons most often, as for Java: they carry the thresholds of a policy. */
        public static Settings defaults() {
            Map<Kind, Double> w = new EnumMap<>(Kind.class);
            w.put(Kind.CONSTANT_SCALED, 3.0);
            w.put(Kind.CONSTANT_SHIFTED, 2.0);
            w.put(Kind.COMPARISON_CHANGED, 2.0);
            w.put(Kind.ARITHMETIC_CHANGED, 1.0);
            w.put(Kind.BOOLEAN_FLIPPED, 1.0);
            w.put(Kind.STATEMENTS_SWAPPED, 1.0);
            return new Settings(w, 2);
        }

        /** Only {@code kind}, one mutation per proposal. */
        public static Settings only(Kind kind) {
            return new Settings(Map.of(kind, 1.0), 1);
        }

        double weight(Kind kind) {
            return weights.getOrDefault(kind, 0.0);
        }
    }

    private static final double[] SCALE_FACTORS = {0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0};
    private static final Set<String> ORDERINGS = Set.of("<", "<=", ">", ">=");
    private static final Map<String, String> EQUALITIES = Map.of("==", "!=", "!=", "==", "===", "!==", "!==", "===");
    private static final Map<String, String> ARITHMETIC = Map.of("+", "-", "-", "+", "*", "/", "/", "*");
    private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
            "<<=", ">>=", "**=", "//=", ":=");
    /** First words of lines that open, continue or leave a block: such a line is not a simple statement. */
    private static final Set<String> NOT_SIMPLE = Set.of("if", "elif", "else", "for", "while", "do", "with", "try",
            "except", "catch", "finally", "def", "class", "async", "match", "case", "default", "switch", "return",
            "break", "continue", "pass", "goto", "raise", "throw", "yield", "global", "nonlocal", "loop", "fn", "func",
            "function", "struct", "enum", "impl", "import", "from", "using", "typedef", "template", "lambda");

    private final String taskId;
    private final SourceLanguage language;
    private final Settings settings;
    private final Executor executor;

    public TextMutator(String taskId, SourceLanguage language) {
        this(taskId, language, Settings.defaults(), ForkJoinPool.commonPool());
    }

    /** @param executor where mutating runs, off the caller's thread */
    public TextMutator(String taskId, SourceLanguage language, Settings settings, Executor executor) {
        this.taskId = Objects.requireNonNull(taskId, "taskId");
        this.language = Objects.requireNonNull(language, "language");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        return CompletableFuture.supplyAsync(() -> mutate(request), executor);
    }

    /** The proposal for {@code request}, computed on the calling thread. */
    public Proposal mutate(ProposalRequest request) {
        if (!request.taskId().equals(taskId)) {
            return failed("the offline mutator serves task '" + taskId + "', not '" + request.taskId() + "'");
        }
        String parent = request.parent().code();
        try {
            EvolveBlocks.of(parent, "the parent");
        } catch (EvolveBlocks.MalformedException e) {
            return failed(e.getMessage());
        }
        SplittableRandom random = new SplittableRandom(request.seed());
        int wanted = 1 + random.nextInt(settings.maxMutations());
        List<String> lines = EvolveBlocks.splitLines(parent);
        List<String> done = new ArrayList<>();
        Set<List<String>> versions = new HashSet<>(Set.of(lines));
        while (done.size() < wanted) {
            Optional<Mutation> mutation = mutateOnce(lines, random, versions);
            if (mutation.isEmpty()) {
                break;
            }
            lines = mutation.get().lines();
            versions.add(lines);
            done.add(mutation.get().description());
        }
        if (done.isEmpty()) {
            return failed("no mutation applies inside the EVOLVE-BLOCK of this " + language.displayName()
                    + " program (strings and comments left alone): it has no site for " + enabledKinds());
        }
        // The child passes the rule a model's rewrite passes: markers kept, nothing outside the blocks changed.
        DiffApplier.Outcome outcome = DiffApplier.applyRewrite(parent, EvolveBlocks.join(lines));
        if (outcome instanceof DiffApplier.Rejected rejected) {
            return failed("offline mutation did not apply: " + rejected.reason());
        }
        return new Proposal.Code(((DiffApplier.Applied) outcome).code(), OfflineMutator.GENERATOR,
                String.join("; ", done), Usage.NONE);
    }

    private Proposal failed(String reason) {
        return new Proposal.Failed(reason, OfflineMutator.GENERATOR, Usage.NONE);
    }

    private String enabledKinds() {
        List<String> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (settings.weight(k) > 0) {
                kinds.add(k.name().toLowerCase());
            }
        }
        return String.join(", ", kinds);
    }

    private record Mutation(List<String> lines, String description) {
    }

    /** A place one kind of edit can be made: a token, or the first of two lines for a swap. */
    private record Site(int line, Optional<Token> token) {
    }

    /**
     * One edit of {@code lines}: a kind by weight, a site at random; a site whose edit changes nothing
     * (or gives back an earlier version) is dropped and another drawn, until none is left.
     */
    private Optional<Mutation> mutateOnce(List<String> lines, SplittableRandom random, Set<List<String>> versions) {
        LexedSource source = LexedSource.of(lines, language);
        EvolveBlocks blocks = EvolveBlocks.of(EvolveBlocks.join(lines), "the program");
        Map<Kind, List<Site>> sites = sites(source, blocks);
        while (!sites.isEmpty()) {
            Kind kind = pickKind(sites.keySet(), random);
            List<Site> candidates = sites.get(kind);
            Site site = candidates.remove(random.nextInt(candidates.size()));
            if (candidates.isEmpty()) {
                sites.remove(kind);
            }
            Optional<Mutation> mutation = edit(kind, site, source, lines, random);
            if (mutation.isPresent() && !versions.contains(mutation.get().lines())) {
                return mutation;
            }
        }
        return Optional.empty();
    }

    private Kind pickKind(Set<Kind> available, SplittableRandom random) {
        return WeightedChoice.draw(Kind.class, available, settings::weight, random);
    }

    // ---- sites ------------------------------------------------------------------------------------

    private Map<Kind, List<Site>> sites(LexedSource source, EvolveBlocks blocks) {
        Map<Kind, List<Site>> sites = new EnumMap<>(Kind.class);
        for (int n = 0; n < source.lines().size(); n++) {
            if (blocks.regionContaining(n, n + 1).isEmpty()) {
                continue;
            }
            Line line = source.line(n);
            List<Token> code = line.code();
            if (!code.isEmpty() && code.get(0).is(Type.PUNCT, "#")) {
                continue; // a preprocessor line or an attribute: not an expression
            }
            for (int i = 0; i < code.size(); i++) {
                Token t = code.get(i);
                Token before = i > 0 ? code.get(i - 1) : null;
                Token after = i + 1 < code.size() ? code.get(i + 1) : null;
                if (t.type() == Type.NUMBER && number(t.text()).isPresent()
                        && !(t.start() > 0 && line.text().charAt(t.start() - 1) == '.')) {
                    add(sites, Kind.CONSTANT_SCALED, new Site(n, Optional.of(t)));
                    add(sites, Kind.CONSTANT_SHIFTED, new Site(n, Optional.of(t)));
                } else if (t.type() == Type.OPERATOR && comparison(t, line, before, after)) {
                    add(sites, Kind.COMPARISON_CHANGED, new Site(n, Optional.of(t)));
                } else if (t.type() == Type.OPERATOR && arithmetic(t, line, before, after)) {
                    add(sites, Kind.ARITHMETIC_CHANGED, new Site(n, Optional.of(t)));
                } else if (t.type() == Type.WORD && (t.text().equals(language.booleans().whenTrue())
                        || t.text().equals(language.booleans().whenFalse()))
                        && (before == null || !before.is(Type.PUNCT, "."))) {
                    add(sites, Kind.BOOLEAN_FLIPPED, new Site(n, Optional.of(t)));
                }
            }
            if (n + 1 < source.lines().size() && blocks.regionContaining(n, n + 2).isPresent() && swappable(source, blocks, n)) {
                add(sites, Kind.STATEMENTS_SWAPPED, new Site(n, Optional.empty()));
            }
        }
        return sites;
    }

    private void add(Map<Kind, List<Site>> sites, Kind kind, Site site) {
        if (settings.weight(kind) > 0) {
            sites.computeIfAbsent(kind, k -> new ArrayList<>()).add(site);
        }
    }

    /**
     * A comparison between two operands; {@code <} and {@code >} only with blanks on both sides, since
     * unspaced they are often type brackets ({@code Vec<u8>}, {@code std::vector<int>}).
     */
    private static boolean comparison(Token t, Line line, Token before, Token after) {
        if (!ORDERINGS.contains(t.text()) && !EQUALITIES.containsKey(t.text())) {
            return false;
        }
        if (before == null || after == null || !LexedSource.endsOperand(before) || !LexedSource.beginsOperand(after)) {
            return false;
        }
        return !(t.text().equals("<") || t.text().equals(">")) || spaced(line, t);
    }

    /**
     * A binary arithmetic operator between two operands, spaced alike on both sides; {@code *} and
     * {@code /} only with blanks on both sides (unspaced they are often pointers or unpacking), never
     * next to a string (concatenation) and never turned into a division by a literal zero.
     */
    private static boolean arithmetic(Token t, Line line, Token before, Token after) {
        if (!ARITHMETIC.containsKey(t.text()) || before == null || after == null) {
            return false;
        }
        if (!LexedSource.endsOperand(before) || !LexedSource.beginsOperand(after)
                || before.type() == Type.STRING || after.type() == Type.STRING) {
            return false;
        }
        boolean blankBefore = t.start() > 0 && Character.isWhitespace(line.text().charAt(t.start() - 1));
        boolean blankAfter = t.end() < line.text().length() && Character.isWhitespace(line.text().charAt(t.end()));
        if (t.text().equals("*") || t.text().equals("/")) {
            boolean zero = after.type() == Type.NUMBER && number(after.text()).map(v -> v.value() == 0).orElse(true);
            return blankBefore && blankAfter && !(t.text().equals("*") && zero);
        }
        return blankBefore == blankAfter;
    }

    private static boolean spaced(Line line, Token t) {
        return t.start() > 0 && Character.isWhitespace(line.text().charAt(t.start() - 1))
                && t.end() < line.text().length() && Character.isWhitespace(line.text().charAt(t.end()));
    }

    /** Whether line {@code n} and the next are simple statements of one block that may be exchanged. */
    private boolean swappable(LexedSource source, EvolveBlocks blocks, int n) {
        SourceLanguage.Statements style = language.lexis().statements();
        if (style == SourceLanguage.Statements.NONE) {
            return false;
        }
        Line a = source.line(n);
        Line b = source.line(n + 1);
        if (!simple(a, style) || !simple(b, style) || !a.indentation().equals(b.indentation())
                || a.text().equals(b.text())) {
            return false;
        }
        if (style == SourceLanguage.Statements.INDENTED) {
            // Line n must start a statement: the line before it does not continue into it.
            Line before = source.line(n - 1);
            return before.endsInCode() && !before.text().stripTrailing().endsWith("\\") && independent(a, b);
        }
        // Line n must start a statement: the code line before it (or the block's start) ended one.
        int region = blocks.regionContaining(n, n + 1).orElseThrow().startMarker();
        for (int p = n - 1; p > region; p--) {
            List<Token> code = source.line(p).code();
            if (!code.isEmpty()) {
                String last = code.get(code.size() - 1).text();
                if (!(last.equals(";") || last.equals("{") || last.equals("}"))) {
                    return false;
                }
                break;
            }
        }
        return independent(a, b);
    }

    /**
     * A whole simple statement on one line: starting and ending in code outside any bracket, with
     * balanced brackets, not opening or continuing a block; C-like ones end with ';', Python ones end
     * neither with ':' nor with a line continuation.
     */
    private static boolean simple(Line line, SourceLanguage.Statements style) {
        List<Token> code = line.code();
        if (code.isEmpty() || !line.startsInCode() || !line.endsInCode() || !line.balanced() || line.parensBefore() > 0) {
            return false;
        }
        Token first = code.get(0);
        Token last = code.get(code.size() - 1);
        if (first.type() != Type.WORD && first.type() != Type.OPEN && first.type() != Type.NUMBER
                && first.type() != Type.STRING && !(first.type() == Type.OPERATOR && first.text().equals("*"))
                || NOT_SIMPLE.contains(first.text())) {
            return false;
        }
        if (style == SourceLanguage.Statements.INDENTED) {
            return line.bracesBefore() == 0 && !last.is(Type.PUNCT, ":") && !last.is(Type.PUNCT, "\\")
                    && !line.text().stripTrailing().endsWith("\\");
        }
        return last.is(Type.PUNCT, ";");
    }

    /**
     * Neither line writes a name the other one mentions, so exchanging them cannot move a use before its
     * declaration or assignment. A line without assignment may write any of its names (a call mutates);
     * names on the written side of both lines ({@code int}, {@code self}, a shared index) do not count.
     */
    private static boolean independent(Line a, Line b) {
        Set<String> writtenA = written(a);
        Set<String> writtenB = written(b);
        Set<String> common = new HashSet<>(writtenA);
        common.retainAll(writtenB);
        writtenA.removeAll(common);
        writtenB.removeAll(common);
        return writtenA.stream().noneMatch(words(b)::contains) && writtenB.stream().noneMatch(words(a)::contains);
    }

    private static Set<String> written(Line line) {
        List<Token> code = line.code();
        int depth = 0;
        boolean increments = false;
        int assignment = -1;
        for (int i = 0; i < code.size(); i++) {
            Token t = code.get(i);
            if (t.type() == Type.OPEN) {
                depth++;
            } else if (t.type() == Type.CLOSE) {
                depth--;
            } else if (t.type() == Type.OPERATOR && (t.text().equals("++") || t.text().equals("--"))) {
                increments = true;
            } else if (depth == 0 && assignment < 0 && t.type() == Type.OPERATOR && ASSIGNMENTS.contains(t.text())) {
                assignment = i;
            }
        }
        List<Token> side = assignment < 0 || increments ? code : code.subList(0, assignment);
        return side.stream().filter(t -> t.type() == Type.WORD).map(Token::text)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> words(Line line) {
        return line.code().stream().filter(t -> t.type() == Type.WORD).map(Token::text).collect(Collectors.toSet());
    }

    // ---- edits ------------------------------------------------------------------------------------

    private Optional<Mutation> edit(Kind kind, Site site, LexedSource source, List<String> lines,
            SplittableRandom random) {
        if (kind == Kind.STATEMENTS_SWAPPED) {
            int n = site.line();
            List<String> next = new ArrayList<>(lines);
            next.set(n, lines.get(n + 1));
            next.set(n + 1, lines.get(n));
            return Optional.of(new Mutation(next, describe(kind, "lines " + (n + 1) + "-" + (n + 2),
                    "'" + oneLine(lines.get(n)) + "' <-> '" + oneLine(lines.get(n + 1)) + "'")));
        }
        Token t = site.token().orElseThrow();
        String replacement = switch (kind) {
            case CONSTANT_SCALED, CONSTANT_SHIFTED -> number(t.text())
                    .flatMap(v -> v.mutated(kind == Kind.CONSTANT_SCALED, random)).orElse(t.text());
            case COMPARISON_CHANGED -> otherComparison(t.text(), random);
            case ARITHMETIC_CHANGED -> ARITHMETIC.get(t.text());
            case BOOLEAN_FLIPPED -> t.text().equals(language.booleans().whenTrue())
                    ? language.booleans().whenFalse() : language.booleans().whenTrue();
            default -> throw new IllegalStateException("unknown mutation " + kind);
        };
        String text = lines.get(t.line());
        String changed = text.substring(0, t.start()) + replacement + text.substring(t.end());
        if (changed.equals(text)) {
            return Optional.empty();
        }
        List<String> next = new ArrayList<>(lines);
        next.set(t.line(), changed);
        String what = kind == Kind.COMPARISON_CHANGED || kind == Kind.ARITHMETIC_CHANGED
                ? t.text() + " -> " + replacement + " in '" + oneLine(text) + "'"
                : t.text() + " -> " + replacement;
        return Optional.of(new Mutation(next, describe(kind, "line " + (t.line() + 1), what)));
    }

    private static String describe(Kind kind, String where, String what) {
        return kind.name().toLowerCase().replace('_', ' ') + " at " + where + ": " + what;
    }

    private static String otherComparison(String op, SplittableRandom random) {
        if (EQUALITIES.containsKey(op)) {
            return EQUALITIES.get(op);
        }
        List<String> others = new ArrayList<>(List.of("<", "<=", ">", ">="));
        others.remove(op);
        return others.get(random.nextInt(others.size()));
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("\\s+", " ").strip();
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** A decimal literal the mutator understands; hex, octal, binary and digit separators are left alone. */
    private record Number(double value, boolean integral, String suffix) {

        /** The literal moved, written as the same kind of literal; empty when it would not change. */
        Optional<String> mutated(boolean scale, SplittableRandom random) {
            if (integral) {
                long v = (long) value;
                long next;
                if (scale && v != 0) {
                    double f = SCALE_FACTORS[random.nextInt(SCALE_FACTORS.length)];
                    next = Math.round(v * f);
                    if (next == v) {
                        next = v + (f > 1 ? 1 : -1);
                    }
                } else {
                    long step = (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(2));
                    // A literal is never made negative: it often counts or indexes.
                    next = v + step < 0 ? v - step : v + step;
                }
                return next == v || next < 0 ? Optional.empty() : Optional.of(next + suffix);
            }
            double next;
            if (scale && value != 0) {
                next = value * SCALE_FACTORS[random.nextInt(SCALE_FACTORS.length)];
            } else {
                double step = value == 0 ? 1 : Math.pow(10, Math.floor(Math.log10(value)));
                next = value + (random.nextBoolean() || value - step < 0 ? step : -step);
            }
            next = new BigDecimal(next).round(new MathContext(6)).doubleValue();
            if (next == value || Double.isInfinite(next)) {
                return Optional.empty();
            }
            return Optional.of(floating(next) + suffix);
        }

        private static String floating(double v) {
            return NumericLiteral.floating(v);
        }
    }

    private static Optional<Number> number(String literal) {
        return NumericLiteral.parse(literal).map(n -> new Number(n.value(), n.integral(), n.suffix()));
    }

    @Override
    public SourceLanguage language() {
        return language;
    }
}
