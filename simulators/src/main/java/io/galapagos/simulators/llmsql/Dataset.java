package io.galapagos.simulators.llmsql;

import java.util.List;

/** One table to reorder, with the column groups the task merges for it. */
record Dataset(String name, Table table, List<List<String>> mergeGroups) {

    Dataset {
        mergeGroups = mergeGroups.stream().map(List::copyOf).toList();
    }
}
