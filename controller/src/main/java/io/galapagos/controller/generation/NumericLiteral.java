package io.galapagos.controller.generation;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decimal numeric literal as the text-level editors understand it in any language: its value, whether it
 * is an integer, and its type suffix ({@code f}, {@code L}, {@code u64}, ...). Hex, octal, binary literals,
 * digit separators and integers beyond what a double holds exactly are not read, so they are never edited.
 */
public record NumericLiteral(double value, boolean integral, String suffix) {

    /** A decimal literal: integer part, fraction, exponent, then a type suffix ({@code f}, {@code u64}, ...). */
    private static final Pattern DECIMAL = Pattern.compile(
            "(?<int>[0-9]+)?(?<frac>\\.[0-9]*)?(?<exp>[eE][+-]?[0-9]+)?(?<suffix>[a-zA-Z][a-zA-Z0-9]*)?");
    private static final Pattern SUFFIX = Pattern.compile("[fFlLuUdDmMjJn]{1,3}|[iuf](8|16|32|64|128|size)");

    /** The literal {@code text} reads as, if it is a decimal one. */
    public static Optional<NumericLiteral> parse(String text) {
        Matcher m = DECIMAL.matcher(text);
        if (!m.matches() || m.group("int") == null && (m.group("frac") == null || m.group("frac").length() < 2)) {
            return Optional.empty();
        }
        String suffix = m.group("suffix") == null ? "" : m.group("suffix");
        if (!suffix.isEmpty() && !SUFFIX.matcher(suffix).matches()) {
            return Optional.empty();
        }
        String whole = m.group("int");
        boolean integral = m.group("frac") == null && m.group("exp") == null;
        if (integral && whole.length() > 1 && whole.startsWith("0")) {
            return Optional.empty(); // octal in C, an error in Python
        }
        if (integral && whole.length() > 15) {
            return Optional.empty(); // beyond what a double holds exactly
        }
        try {
            String body = text.substring(0, text.length() - suffix.length());
            double value = integral ? Long.parseLong(whole) : Double.parseDouble(body);
            return Double.isFinite(value) ? Optional.of(new NumericLiteral(value, integral, suffix)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code newValue} written as the same kind of literal: an integer stays one (rounded), the suffix stays. */
    public String write(double newValue) {
        return (integral ? Long.toString(Math.round(newValue)) : floating(newValue)) + suffix;
    }

    /** A floating literal that reads as one in every language: a '.' or an exponent always present. */
    public static String floating(double v) {
        if (v != 0 && (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e15)) {
            return Double.toString(v);
        }
        String plain = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
