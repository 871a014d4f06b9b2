package io.galapagos.controller.generation;

import java.util.List;

/**
 * One SEARCH/REPLACE block of an answer, as lines.
 *
 * @param number 1-based position in the answer, used in reasons
 */
public record EditBlock(int number, List<String> search, List<String> replace) {

    public static final String SEARCH_MARKER = "<<<<<<< SEARCH";
    public static final String DIVIDER = "=======";
    public static final String REPLACE_MARKER = ">>>>>>> REPLACE";

    public EditBlock {
        search = List.copyOf(search);
        replace = List.copyOf(replace);
    }

    /** The block in the answer format, ending with a newline. */
    public String render() {
        StringBuilder out = new StringBuilder(SEARCH_MARKER).append('\n');
        search.forEach(l -> out.append(l).append('\n'));
        out.append(DIVIDER).append('\n');
        replace.forEach(l -> out.append(l).append('\n'));
        return out.append(REPLACE_MARKER).append('\n').toString();
    }
}
