import io.galapagos.simulators.llmsql.Reordering;
import io.galapagos.simulators.llmsql.Table;
import io.galapagos.simulators.llmsql.TableReorderer;

import java.util.List;

/** Sends the table as it is: merge members in the listed order, rows and columns unchanged. */
public class OriginalOrder implements TableReorderer {

    @Override
    public Reordering reorder(Table table, List<List<String>> mergeGroups) {
        // EVOLVE-BLOCK-START
        Table merged = table.merged(mergeGroups);
        int rows = merged.rowCount();
        int columns = merged.columnCount();
        int[] rowOrder = new int[rows];
        int[][] columnOrder = new int[rows][columns];
        for (int r = 0; r < rows; r++) {
            rowOrder[r] = r;
            for (int c = 0; c < columns; c++) {
                columnOrder[r][c] = c;
            }
        }
        return new Reordering(mergeGroups, rowOrder, columnOrder);
        // EVOLVE-BLOCK-END
    }
}
