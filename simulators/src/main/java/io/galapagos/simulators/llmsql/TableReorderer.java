package io.galapagos.simulators.llmsql;

import java.util.List;

/** A row and column reordering policy for prefix-cache reuse: the candidate interface of llm-sql. */
public interface TableReorderer {

    /**
     * Orders one table for an LLM that reads it row by row with a prefix cache.
     *
     * @param table       the table as read from its file (columns not merged yet)
     * @param mergeGroups groups of columns that must be merged into one column each (member order
     *                    is yours to choose, see {@link Table#merged})
     * @return the merge member orders, the row order and each row's column order
     */
    Reordering reorder(Table table, List<List<String>> mergeGroups);
}
