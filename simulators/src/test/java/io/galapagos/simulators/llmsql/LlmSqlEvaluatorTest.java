package io.galapagos.simulators.llmsql;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LlmSqlEvaluatorTest {

    private static final LlmSqlEvaluator SYNTHETIC = LlmSqlEvaluator.load(DataSource.synthetic());

    /** Identity permutations for the merged table, then {@code spoil} breaks one part. */
    private static TableReorderer identityThen(java.util.function.UnaryOperator<Reordering> spoil) {
        return (table, groups) -> {
            Table merged = table.merged(groups);
            int[] rows = new int[merged.rowCount()];
            int[][] columns = new int[merged.rowCount()][merged.columnCount()];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = r;
                for (int c = 0; c < merged.columnCount(); c++) {
                    columns[r][c] = c;
                }
            }
            return spoil.apply(new Reordering(groups, rows, columns));
        };
    }

    @Test
    void taskIsRegisteredWithGgrFirstAndTheOriginalOrder() {
        var task = TaskRegistry.load().require("llm-sql");
        assertThat(task.baselines()).extracting(b -> b.name()).containsExactly("initial", "original-order");
        assertThat(task.featureMetric()).isEqualTo("hitRate");
        assertThat(task.candidateApi()).contains("interface TableReorderer", "record Reordering", "class Table",
                "public Table merged(List<List<String>> groups);");
        assertThat(task.baselines()).allSatisfy(b -> assertThat(b.source())
                .contains("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-END"));
    }

    @Test
    void syntheticTablesAreDeterministicPerSeed() {
        Table a = SYNTHETIC.datasets(Split.TRAIN).get(0).table();
        Table again = LlmSqlEvaluator.load(DataSource.synthetic()).datasets(Split.TRAIN).get(0).table();
        Table other = LlmSqlEvaluator.load(new DataSource.Synthetic(7)).datasets(Split.TRAIN).get(0).table();
        assertThat(a.rowCount()).isEqualTo(4000);
        for (int r = 0; r < a.rowCount(); r += 97) {
            for (int c = 0; c < a.columnCount(); c++) {
                assertThat(again.text(r, c)).isEqualTo(a.text(r, c));
            }
        }
        assertThat(other.text(0, 0) + other.text(0, 8)).isNotEqualTo(a.text(0, 0) + a.text(0, 8));
        assertThat(SYNTHETIC.runCount(Split.SMOKE)).isEqualTo(1);
        assertThat(SYNTHETIC.runCount(Split.TRAIN)).isEqualTo(2);
        assertThat(SYNTHETIC.runCount(Split.TEST)).isEqualTo(2);
    }

    @Test
    void ggrBeatsTheOriginalOrderOnSyntheticTables() throws Exception {
        var task = new LlmSqlTask();
        CandidateCompiler compiler = new CandidateCompiler();
        EvaluationReport ggr = SYNTHETIC.evaluate(compiler.compile(task.initialProgram().source(), TableReorderer.class), Split.TEST);
        EvaluationReport original = SYNTHETIC.evaluate(
                compiler.compile(task.baseline("original-order").orElseThrow().source(), TableReorderer.class), Split.TEST);
        assertThat(ggr.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(ggr.metrics().get("hitRate")).isGreaterThan(original.metrics().get("hitRate") + 0.3);
        assertThat(ggr.runs()).allSatisfy(run -> assertThat(run).containsKeys("dataset", "hits", "characters",
                "hitRate", "runtimeSeconds"));
        assertThat(ggr.feedback()).contains("reviews-c").contains("hit rate");
    }

    @Test
    void rowOrderThatRepeatsARowIsAConstraintViolation() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> identityThen(r -> {
            r.rowOrder()[1] = 0;
            return r;
        }), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("reviews-smoke").contains("rowOrder must be a permutation of the 300 row indices");
    }

    @Test
    void droppedOrDuplicatedCellsAreConstraintViolations() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> identityThen(r -> {
            r.columnOrder()[5] = new int[] {0, 0, 1, 2, 3, 4, 5, 6};
            r.columnOrder()[9] = new int[] {0, 1};
            return r;
        }), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.violations()).containsExactly(
                "2 column orders are not permutations of the 8 column indices (first at output row 5: [0, 0, 1, 2, 3, 4, 5, 6])");
    }

    @Test
    void mergeGroupsMustKeepTheirMembers() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (table, groups) ->
                new Reordering(List.of(List.of("item/id", "review/time")), new int[0], new int[0][]), Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("must hold exactly the columns [item/id, item/name]");
        EvaluationReport nothing = SYNTHETIC.evaluate(() -> (table, groups) -> null, Split.SMOKE);
        assertThat(nothing.violations()).containsExactly("reorder returned null or a Reordering with a null part");
    }

    @Test
    void candidateExceptionIsARuntimeErrorNamingTheTable() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (table, groups) -> {
            throw new ArithmeticException("/ by zero");
        }, Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("reviews-smoke").contains("ArithmeticException: / by zero");
    }

    @Test
    void readerInfersPandasColumnTypesAndRendersTheirTexts() {
        Table t = TableReader.read("t.csv", "i,f,b,s,m\n007,1,True,x,\n-3,0.00001,false,\"a,b\",NA\n12,2.5,TRUE,NA,4\n");
        assertThat(List.of(t.columnType(0), t.columnType(1), t.columnType(2), t.columnType(3), t.columnType(4)))
                .containsExactly(ColumnType.INT, ColumnType.FLOAT, ColumnType.BOOL, ColumnType.STRING, ColumnType.FLOAT);
        assertThat(List.of(t.text(0, 0), t.text(0, 1), t.text(1, 1), t.text(1, 2), t.text(1, 3), t.text(2, 4)))
                .containsExactly("7", "1.0", "1e-05", "False", "a,b", "4.0");
        assertThat(t.isMissing(2, 3)).isTrue();
        assertThat(t.isMissing(0, 4)).isTrue();
        assertThat(t.merged(List.of(List.of("s", "m"))).text(2, 3)).isEqualTo("nan4.0");
        assertThat(TableReader.pythonRepr(1e16)).isEqualTo("1e+16");
        assertThat(TableReader.pythonRepr(123456.789)).isEqualTo("123456.789");
        assertThat(TableReader.pythonRepr(-0.0001)).isEqualTo("-0.0001");
    }
}
