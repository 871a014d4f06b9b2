package io.galapagos.simulators.llmsql;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A reordering is read once, so the merge that is checked is the merge that is scored. */
class LlmSqlHostileCandidateTest {

    private static final LlmSqlEvaluator SYNTHETIC = LlmSqlEvaluator.load(DataSource.synthetic());

    /** Iterates as the task's group, answers {@code get} with another column in place of its last member. */
    private static final class TwoFacedGroup extends AbstractList<String> {
        private final List<String> group;
        private final String other;

        TwoFacedGroup(List<String> group, String other) {
            this.group = group;
            this.other = other;
        }

        @Override
        public Iterator<String> iterator() {
            return group.iterator();
        }

        @Override
        public String get(int index) {
            return index == group.size() - 1 ? other : group.get(index);
        }

        @Override
        public int size() {
            return group.size();
        }
    }

    /** Identity row and column orders over the table merged as the task asks, announced with {@code merges}. */
    private static Reordering identity(Table table, List<List<String>> groups, List<List<String>> merges) {
        Table merged = table.merged(groups);
        int[] rows = new int[merged.rowCount()];
        int[][] columns = new int[merged.rowCount()][merged.columnCount()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r;
            for (int c = 0; c < merged.columnCount(); c++) {
                columns[r][c] = c;
            }
        }
        return new Reordering(merges, rows, columns);
    }

    @Test
    void aMergeGroupThatAnswersDifferentlyToIterationAndIndexingIsMergedAsItIterates() {
        EvaluationReport honest = SYNTHETIC.evaluate(() -> (table, groups) -> identity(table, groups, groups), Split.TRAIN);
        EvaluationReport twoFaced = SYNTHETIC.evaluate(() -> (table, groups) -> {
            List<List<String>> merges = new ArrayList<>();
            for (List<String> group : groups) {
                String other = table.columnNames().stream()
                        .filter(c -> groups.stream().noneMatch(g -> g.contains(c))).findFirst().orElseThrow();
                merges.add(new TwoFacedGroup(group, other));
            }
            return identity(table, groups, merges);
        }, Split.TRAIN);

        assertThat(honest.status()).as(honest.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(twoFaced.status()).as(twoFaced.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(twoFaced.metrics().get("hitRate")).isEqualTo(honest.metrics().get("hitRate"));
        assertThat(twoFaced.runs()).extracting(run -> run.get("hits")).isEqualTo(
                honest.runs().stream().map(run -> run.get("hits")).toList());
    }
}
