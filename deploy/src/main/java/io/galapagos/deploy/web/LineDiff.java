package io.galapagos.deploy.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two programs, line by line: the lines both share around the change are matched
 * first, and the changed middle by its longest common subsequence. Programs are small; a middle too
 * large to match line by line shows as removed and added in full.
 */
final class LineDiff {

    /** Middles with more line pairs than this are not matched (the table would take too much memory). */
    static final long MAX_PAIRS = 4_000_000;

    private LineDiff() {
    }

    /** The diff from {@code before} to {@code after} with {@code context} lines around each change; "" when equal. */
    static String unified(String before, String after, int context) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.kind == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).kind == ' ') {
                i++;
                continue;
            }
            // a hunk: this change, the changes within 2 * context of it, and context lines around them
            int start = Math.max(0, i - context);
            int end = i;
            int lastChange = i;
            while (end < edits.size() && end - lastChange <= 2 * context) {
                if (edits.get(end).kind != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            appendHunk(out, edits.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private static void appendHunk(StringBuilder out, List<Edit> hunk) {
        Edit first = hunk.get(0);
        long beforeLines = hunk.stream().filter(e -> e.kind != '+').count();
        long afterLines = hunk.stream().filter(e -> e.kind != '-').count();
        out.append("@@ -").append(first.beforeLine + (beforeLines == 0 ? 0 : 1)).append(',').append(beforeLines)
                .append(" +").append(first.afterLine + (afterLines == 0 ? 0 : 1)).append(',').append(afterLines)
                .append(" @@\n");
        for (Edit edit : hunk) {
            out.append(edit.kind).append(edit.text).append('\n');
        }
    }

    /** One line of the diff; {@code beforeLine}/{@code afterLine} count the lines of each side before it. */
    private record Edit(char kind, String text, int beforeLine, int afterLine) {
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> edits = new ArrayList<>();
        for (int k = 0; k < prefix; k++) {
            edits.add(new Edit(' ', a.get(k), k, k));
        }
        List<String> midA = a.subList(prefix, a.size() - suffix);
        List<String> midB = b.subList(prefix, b.size() - suffix);
        middle(midA, midB, prefix, prefix, edits);
        for (int k = 0; k < suffix; k++) {
            int ai = a.size() - suffix + k;
            edits.add(new Edit(' ', a.get(ai), ai, b.size() - suffix + k));
        }
        return edits;
    }

    private static void middle(List<String> a, List<String> b, int aOffset, int bOffset, List<Edit> edits) {
        int n = a.size();
        int m = b.size();
        if ((long) n * m > MAX_PAIRS) {
            for (int i = 0; i < n; i++) {
                edits.add(new Edit('-', a.get(i), aOffset + i, bOffset));
            }
            for (int j = 0; j < m; j++) {
                edits.add(new Edit('+', b.get(j), aOffset + n, bOffset + j));
            }
            return;
        }
        // common[i][j]: length of the longest common subsequence of a[i..] and b[j..]
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), aOffset + i, bOffset + j));
                i++;
                j++;
            } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Edit('-', a.get(i), aOffset + i, bOffset + j));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), aOffset + i, bOffset + j));
                j++;
            }
        }
    }
}
