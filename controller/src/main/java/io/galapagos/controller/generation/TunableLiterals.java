package io.galapagos.controller.generation;

import io.galapagos.controller.generation.LexedSource.Token;
import io.galapagos.controller.generation.LexedSource.Type;
import io.galapagos.protocol.EvolveBlocks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The numeric literals of a program that a tuning episode may change: decimal literals in code (never in a
 * string or comment, {@link LexedSource} tells them apart) on the lines strictly inside the EVOLVE-BLOCKs,
 * in their order, at most a given number. Member accesses ({@code t.0}), preprocessor lines and the
 * integers 0 and 1 are left alone: they index, count and compare far more often than they tune.
 * {@link #with} writes new values back in place of the tokens, integers as integers, and never makes a
 * literal negative (its sign, if any, is an operator in front of it).
 */
public final class TunableLiterals {

    /** One literal: token {@code [start, end)} of line {@code line} (0-based) and what it reads as. */
    public record Literal(int line, int start, int end, String text, NumericLiteral number) {
    }

    /** Digits a tuned floating literal keeps: enough to tune, few enough to read. */
    private static final MathContext DIGITS = new MathContext(6);

    private final List<String> lines;
    private final List<Literal> literals;

    private TunableLiterals(List<String> lines, List<Literal> literals) {
        this.lines = List.copyOf(lines);
        this.literals = List.copyOf(literals);
    }

    /**
     * The literals of {@code code} read as {@code language}, the first {@code max} of them.
     *
     * @throws EvolveBlocks.MalformedException when the program has no well-formed EVOLVE-BLOCK
     */
    public static TunableLiterals of(String code, SourceLanguage language, int max) {
        EvolveBlocks blocks = EvolveBlocks.of(code, "the tuned program");
        List<String> lines = blocks.lines();
        LexedSource source = LexedSource.of(lines, language);
        List<Literal> found = new ArrayList<>();
        for (int n = 0; n < lines.size() && found.size() < max; n++) {
            if (blocks.regionContaining(n, n + 1).isEmpty()) {
                continue;
            }
            LexedSource.Line line = source.line(n);
            List<Token> tokens = line.code();
            if (!tokens.isEmpty() && tokens.get(0).is(Type.PUNCT, "#")) {
                continue; // a preprocessor line or an attribute
            }
            for (Token t : tokens) {
                if (found.size() >= max) {
                    break;
                }
                if (t.type() != Type.NUMBER || t.start() > 0 && line.text().charAt(t.start() - 1) == '.') {
                    continue;
                }
                NumericLiteral.parse(t.text())
                        .filter(v -> !(v.integral() && (v.value() == 0 || v.value() == 1)))
                        .ifPresent(v -> found.add(new Literal(t.line(), t.start(), t.end(), t.text(), v)));
            }
        }
        return new TunableLiterals(lines, found);
    }

    public List<Literal> literals() {
        return literals;
    }

    /** The program as read, its lines joined with {@code \n}. */
    public String code() {
        return EvolveBlocks.join(lines);
    }

    /**
     * The program with literal {@code i} written as {@code values.get(i)}: an integer rounded (and kept in
     * the range of a Java {@code int} unless it has a long suffix), a floating value to 6 significant digits,
     * both at least 0; a literal whose value does not change keeps its own text.
     */
    public String with(List<Double> values) {
        if (values.size() != literals.size()) {
            throw new IllegalArgumentException(literals.size() + " values expected, not " + values.size());
        }
        List<String> next = new ArrayList<>(lines);
        // right to left, so that a replacement of another length does not move the tokens still to replace
        for (int i = literals.size() - 1; i >= 0; i--) {
            Literal literal = literals.get(i);
            String text = next.get(literal.line());
            next.set(literal.line(), text.substring(0, literal.start()) + written(literal, values.get(i))
                    + text.substring(literal.end()));
        }
        return EvolveBlocks.join(next);
    }

    /** The value a literal gets for {@code value}, after rounding and clamping as {@link #with} writes it. */
    public static double clamped(NumericLiteral number, double value) {
        double v = Double.isFinite(value) ? Math.max(0, value) : number.value();
        if (number.integral()) {
            boolean isLong = number.suffix().toLowerCase().contains("l");
            return Math.min(Math.round(v), isLong ? 1e15 : Integer.MAX_VALUE);
        }
        return v == 0 ? 0 : new BigDecimal(v).round(DIGITS).doubleValue();
    }

    /** How {@link #with} writes {@code literal} for {@code value}. */
    static String written(Literal literal, double value) {
        double v = clamped(literal.number(), value);
        return v == literal.number().value() ? literal.text() : literal.number().write(v);
    }
}
