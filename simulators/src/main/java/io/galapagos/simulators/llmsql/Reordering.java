package io.galapagos.simulators.llmsql;

import java.util.List;

/**
 * A candidate's answer: how to merge, then in which order to send the rows and, per row, the cells.
 *
 * @param merges      each merge group of the task, its members in the order their texts are joined
 * @param rowOrder    row {@code i} of the output is row {@code rowOrder[i]} of the merged table
 *                    (a permutation of 0..n-1)
 * @param columnOrder {@code columnOrder[i]}: the merged table's columns in the order row {@code i}
 *                    of the output lists its cells (a permutation of 0..m-1 per row)
 */
public record Reordering(List<List<String>> merges, int[] rowOrder, int[][] columnOrder) {
}
