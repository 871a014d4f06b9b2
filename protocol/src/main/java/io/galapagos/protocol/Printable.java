package io.galapagos.protocol;

/**
 * Text that came from a candidate (its prints, its exception messages, what a simulator quoted of it)
 * made safe for a terminal, a prompt or a file: control characters become visible escapes, so that no
 * candidate can move the cursor, rewrite a line, retitle a terminal or hide text behind bidi overrides.
 */
public final class Printable {

    private Printable() {
    }

    /** Keeps newlines and tabs; every other control character is written as {@code \\u001b}. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                // bidi embeddings, overrides and isolates: they reorder what a reader sees
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x061c || c == 0x200e || c == 0x200f;
    }
}
