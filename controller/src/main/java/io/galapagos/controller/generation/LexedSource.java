package io.galapagos.controller.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A program cut into tokens by its language's {@link SourceLanguage.Lexis}, line by line: enough to tell
 * code from strings and comments (with escapes, triple quotes and block comments that span lines) and
 * to see brackets, operators, numbers and words. It does not parse; it only has to be right about
 * where code is.
 */
final class LexedSource {

    enum Type { WORD, NUMBER, STRING, OPERATOR, OPEN, CLOSE, PUNCT, COMMENT }

    /** Characters {@code [start, end)} of line {@code line} (0-based). */
    record Token(Type type, int line, int start, int end, String text) {
        boolean is(Type t, String s) {
            return type == t && text.equals(s);
        }
    }

    /**
     * One line with its tokens.
     *
     * @param startsInCode  the line does not begin inside a string or comment opened on an earlier line
     * @param endsInCode    no string or comment runs on into the next line
     * @param parensBefore  ( and [ open before the line: inside an expression when above 0
     * @param bracesBefore  { open before the line
     * @param balanced      every bracket the line opens it closes, and it closes none it did not open
     */
    record Line(String text, List<Token> tokens, boolean startsInCode, boolean endsInCode, int parensBefore,
                int bracesBefore, boolean balanced) {

        List<Token> code() {
            return tokens.stream().filter(t -> t.type() != Type.COMMENT).toList();
        }

        String indentation() {
            int i = 0;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return text.substring(0, i);
        }
    }

    /** Longest first, so that {@code <=} is one token and {@code <<=} is not {@code <} then {@code <=}. */
    private static final List<String> OPERATORS = List.of(
            "<<=", ">>=", ">>>", "<=>", "===", "!==", "**=", "//=", "...", "..=",
            "->", "=>", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
            "&&", "||", "**", "//", "::", "++", "--", ":=", "..", "?.", "??",
            "+", "-", "*", "/", "%", "<", ">", "=", "!", "&", "|", "^", "~", "?");

    /** Words after which an operator starts an operand ({@code return -1}), as in most languages. */
    static final Set<String> KEYWORDS_BEFORE_OPERAND = Set.of("return", "yield", "case", "in", "not", "and", "or",
            "is", "if", "elif", "while", "else", "await", "throw", "raise", "lambda", "assert", "typeof", "do",
            "then", "of", "new", "delete", "void", "sizeof");

    private final SourceLanguage.Lexis lexis;
    private final List<Line> lines = new ArrayList<>();

    private LexedSource(SourceLanguage language) {
        this.lexis = language.lexis();
    }

    static LexedSource of(List<String> lines, SourceLanguage language) {
        LexedSource source = new LexedSource(language);
        source.lex(lines);
        return source;
    }

    List<Line> lines() {
        return lines;
    }

    Line line(int index) {
        return lines.get(index);
    }

    /** Whether {@code token} may end an operand, so that an operator after it is binary. */
    static boolean endsOperand(Token token) {
        return switch (token.type()) {
            case NUMBER, STRING, CLOSE -> true;
            case WORD -> !KEYWORDS_BEFORE_OPERAND.contains(token.text());
            default -> false;
        };
    }

    /** Whether {@code token} may begin an operand (a unary sign or negation included). */
    static boolean beginsOperand(Token token) {
        return switch (token.type()) {
            case NUMBER, STRING, OPEN, WORD -> true;
            case OPERATOR -> Set.of("-", "+", "!", "~").contains(token.text());
            default -> false;
        };
    }

    // ---- lexing -----------------------------------------------------------------------------------

    /** The delimiter that closes a string or comment running on from the previous line; null in code. */
    private String open;
    private int parens;
    private int braces;
    /** The last code token seen, across lines: whether a '/' starts a regex depends on it. */
    private Token previous;

    private void lex(List<String> texts) {
        for (int n = 0; n < texts.size(); n++) {
            String text = texts.get(n);
            boolean startsInCode = open == null;
            int parensBefore = parens;
            int bracesBefore = braces;
            List<Token> tokens = new ArrayList<>();
            int depth = 0;
            int lowest = 0;
            int i = 0;
            if (open != null) {
                i = continueOpen(text, n, tokens);
            }
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\f') {
                    i++;
                    continue;
                }
                int next = lexOne(text, n, i, tokens);
                Token t = tokens.get(tokens.size() - 1);
                if (t.type() == Type.OPEN) {
                    depth++;
                    if (t.text().equals("{")) {
                        braces++;
                    } else {
                        parens++;
                    }
                } else if (t.type() == Type.CLOSE) {
                    depth--;
                    lowest = Math.min(lowest, depth);
                    if (t.text().equals("}")) {
                        braces = Math.max(0, braces - 1);
                    } else {
                        parens = Math.max(0, parens - 1);
                    }
                }
                if (t.type() != Type.COMMENT) {
                    previous = t;
                }
                i = next;
            }
            lines.add(new Line(text, List.copyOf(tokens), startsInCode, open == null, parensBefore, bracesBefore,
                    depth == 0 && lowest == 0));
        }
    }

    /** Finishes (or continues) the string or comment left open by the previous line; where code resumes. */
    private int continueOpen(String text, int n, List<Token> tokens) {
        boolean comment = open.equals("*/");
        int close = find(text, 0, open, !comment && lexis.escapes(open));
        Type type = comment ? Type.COMMENT : Type.STRING;
        if (close < 0) {
            tokens.add(new Token(type, n, 0, text.length(), text));
            return text.length();
        }
        int end = close + open.length();
        tokens.add(new Token(type, n, 0, end, text.substring(0, end)));
        if (type == Type.STRING) {
            previous = tokens.get(tokens.size() - 1);
        }
        open = null;
        return end;
    }

    /** Adds the token starting at {@code i} (not blank) and returns where the next one may start. */
    private int lexOne(String text, int n, int i, List<Token> tokens) {
        char c = text.charAt(i);
        for (String marker : lexis.lineComments()) {
            if (text.startsWith(marker, i)) {
                return add(tokens, Type.COMMENT, n, text, i, text.length());
            }
        }
        if (lexis.blockComments() && text.startsWith("/*", i)) {
            int close = find(text, i + 2, "*/", false);
            if (close < 0) {
                open = "*/";
                return add(tokens, Type.COMMENT, n, text, i, text.length());
            }
            return add(tokens, Type.COMMENT, n, text, i, close + 2);
        }
        for (String triple : lexis.tripleQuotes()) {
            if (text.startsWith(triple, i)) {
                return string(text, n, i, triple, true, tokens);
            }
        }
        if (lexis.quotes().indexOf(c) >= 0) {
            return string(text, n, i, String.valueOf(c), false, tokens);
        }
        if (lexis.multilineQuotes().indexOf(c) >= 0) {
            return string(text, n, i, String.valueOf(c), true, tokens);
        }
        if (c == '\'' && lexis.characterLiterals()) {
            int end = characterLiteral(text, i);
            return end > i ? add(tokens, Type.STRING, n, text, i, end) : add(tokens, Type.PUNCT, n, text, i, i + 1);
        }
        if (c == '/' && lexis.regexLiterals() && (previous == null || !endsOperand(previous))) {
            int end = regex(text, i);
            if (end > i) {
                return add(tokens, Type.STRING, n, text, i, end);
            }
        }
        if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))
                && (i == 0 || !wordChar(text.charAt(i - 1)) && text.charAt(i - 1) != ')' && text.charAt(i - 1) != ']')) {
            return add(tokens, Type.NUMBER, n, text, i, number(text, i));
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            int end = i + 1;
            while (end < text.length() && wordChar(text.charAt(end))) {
                end++;
            }
            return add(tokens, Type.WORD, n, text, i, end);
        }
        if ("([{".indexOf(c) >= 0) {
            return add(tokens, Type.OPEN, n, text, i, i + 1);
        }
        if (")]}".indexOf(c) >= 0) {
            return add(tokens, Type.CLOSE, n, text, i, i + 1);
        }
        for (String op : OPERATORS) {
            if (text.startsWith(op, i)) {
                return add(tokens, Type.OPERATOR, n, text, i, i + op.length());
            }
        }
        return add(tokens, Type.PUNCT, n, text, i, i + 1);
    }

    private static int add(List<Token> tokens, Type type, int n, String text, int from, int to) {
        tokens.add(new Token(type, n, from, to, text.substring(from, to)));
        return to;
    }

    /** A string opened by {@code delimiter} at {@code i}; one that may span lines leaves {@link #open} set. */
    private int string(String text, int n, int i, String delimiter, boolean spansLines, List<Token> tokens) {
        int close = find(text, i + delimiter.length(), delimiter, lexis.escapes(delimiter));
        if (close < 0) {
            if (spansLines) {
                open = delimiter;
            }
            // A one-line string left open ends with its line: the damage of a stray quote stays there.
            return add(tokens, Type.STRING, n, text, i, text.length());
        }
        return add(tokens, Type.STRING, n, text, i, close + delimiter.length());
    }

    /** Where {@code delimiter} next occurs from {@code from}, skipping backslash escapes; -1 if not on this line. */
    private static int find(String text, int from, String delimiter, boolean escapes) {
        int j = from;
        while (j < text.length()) {
            if (escapes && text.charAt(j) == '\\') {
                j += 2;
            } else if (text.startsWith(delimiter, j)) {
                return j;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** The end of {@code 'a'} or {@code '\n'} / {@code '\u00e9'} at {@code i}; {@code i} when it is no literal (a lifetime). */
    private static int characterLiteral(String text, int i) {
        if (i + 2 < text.length() && text.charAt(i + 1) != '\\' && text.charAt(i + 2) == '\'') {
            return i + 3;
        }
        if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
            int close = text.indexOf('\'', i + 3);
            if (close > 0 && close - i <= 12) {
                return close + 1;
            }
        }
        return i;
    }

    /** The end of a /regex/flags literal at {@code i}, or {@code i} when none closes on this line. */
    private static int regex(String text, int i) {
        boolean inClass = false;
        int j = i + 1;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                if (j == i + 1) {
                    return i;
                }
                j++;
                while (j < text.length() && Character.isLetter(text.charAt(j))) {
                    j++;
                }
                return j;
            }
            j++;
        }
        return i;
    }

    /** The end of the number at {@code i}: digits, letters (suffixes, hex), one '.', an exponent's sign. */
    private static int number(String text, int i) {
        int j = i;
        boolean hex = text.startsWith("0x", i) || text.startsWith("0X", i);
        boolean dot = false;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (wordChar(c)) {
                j++;
            } else if (c == '.' && !dot && !hex && (j + 1 >= text.length()
                    || text.charAt(j + 1) != '.' && !Character.isLetter(text.charAt(j + 1)) && text.charAt(j + 1) != '_')) {
                dot = true;
                j++;
            } else if ((c == '+' || c == '-') && !hex && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E')
                    && j + 1 < text.length() && Character.isDigit(text.charAt(j + 1))) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
