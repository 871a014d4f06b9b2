package io.galapagos.controller.generation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A program as the sequence of its code tokens in its language: comments and layout dropped, so that
 * two programs that differ only there have the same tokens. Where the language makes line breaks and
 * indentation part of the program (Python), they stay, as {@link #NEWLINE}, {@link #INDENT} and
 * {@link #DEDENT} tokens, so moving a statement into or out of a block is a change.
 */
public final class SourceTokens {

    public static final String NEWLINE = "<newline>";
    public static final String INDENT = "<indent>";
    public static final String DEDENT = "<dedent>";

    private SourceTokens() {
    }

    /** The code tokens of {@code code} read as {@code language}. */
    public static List<String> of(String code, SourceLanguage language) {
        List<String> lines = code.replace("\r\n", "\n").replace('\r', '\n').lines().toList();
        LexedSource source = LexedSource.of(lines, language);
        boolean indented = language.lexis().statements() == SourceLanguage.Statements.INDENTED;
        List<String> tokens = new ArrayList<>();
        Deque<Integer> levels = new ArrayDeque<>();
        levels.push(0);
        for (LexedSource.Line line : source.lines()) {
            List<LexedSource.Token> codeTokens = line.code();
            if (codeTokens.isEmpty()) {
                continue;
            }
            // a line inside brackets or a string continues the statement above: its indentation is layout
            if (indented && line.startsInCode() && line.parensBefore() == 0) {
                if (!tokens.isEmpty()) {
                    tokens.add(NEWLINE);
                }
                int width = width(line.indentation());
                if (width > levels.peek()) {
                    levels.push(width);
                    tokens.add(INDENT);
                }
                while (width < levels.peek()) {
                    levels.pop();
                    tokens.add(DEDENT);
                }
            }
            codeTokens.forEach(t -> tokens.add(t.text()));
        }
        return tokens;
    }

    /** Tabs to the next multiple of 8, as Python reads them. */
    private static int width(String indentation) {
        int width = 0;
        for (char c : indentation.toCharArray()) {
            width = c == '\t' ? (width / 8 + 1) * 8 : width + 1;
        }
        return width;
    }
}
