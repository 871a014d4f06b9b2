package io.galapagos.simulators.llmsql;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** beer.csv golden numbers of llm-sql.md L4.1, L5.6 and L6, measured on the original evaluator. */
// integration lane: slow, replays the published tables
@Tag("integration")
class LlmSqlFidelityTest {

    private static final LlmSqlTask TASK = new LlmSqlTask();
    private static LlmSqlEvaluator evaluator;
    private static Table beer;

    @BeforeAll
    static void loadBeer() {
        evaluator = LlmSqlEvaluator.load(AdrsData.source());
        beer = evaluator.datasets(Split.TRAIN).get(0).table();
    }

    private static TableReorderer compile(String baseline) throws Exception {
        return new CandidateCompiler().compile(TASK.baseline(baseline).orElseThrow().source(), TableReorderer.class).get();
    }

    @Test
    void beerIsReadWithPandasTypes() {
        assertThat(evaluator.datasets(Split.TRAIN)).extracting(Dataset::name).containsExactly("beer.csv");
        assertThat(beer.rowCount()).isEqualTo(28_479);
        assertThat(beer.columnCount()).isEqualTo(9);
        assertThat(beer.columnType(beer.columnIndex("review/time"))).isEqualTo(ColumnType.INT);
        assertThat(beer.columnType(beer.columnIndex("beer/beerId"))).isEqualTo(ColumnType.INT);
        assertThat(beer.columnType(beer.columnIndex("beer/name"))).isEqualTo(ColumnType.STRING);
    }

    @Test
    void originalOrderAfterTheListedMergeHitsTheGoldenRate() throws Exception {
        EvaluationReport report = evaluator.evaluate(
                new CandidateCompiler().compile(TASK.baseline("original-order").orElseThrow().source(), TableReorderer.class),
                Split.TRAIN);
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        Map<String, Object> run = report.runs().get(0);
        assertThat(run).containsEntry("hits", 327_739L).containsEntry("characters", 2_271_333L);
        assertThat(report.metrics().get("hitRate")).isEqualTo(0.14429368128759631);
        assertThat(beer.merged(List.of(List.of("beer/beerId", "beer/name"))).columnNames()).containsExactly(
                "review/profileName", "review/time", "review/overall", "review/taste", "review/palate",
                "review/appearance", "beer/style", "beer/beerId_beer/name");
    }

    @Test
    void otherMergeOrdersGiveTheirGoldenHits() {
        assertThat(hits(beer.merged(List.of(List.of("beer/name", "beer/beerId"))))).isEqualTo(328_152L);
        assertThat(hits(beer)).isEqualTo(332_115L);
    }

    private static long hits(Table table) {
        PrefixHits hits = new PrefixHits();
        for (int r = 0; r < table.rowCount(); r++) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < table.columnCount(); c++) {
                s.append(table.text(r, c));
            }
            hits.add(s.toString());
        }
        assertThat(hits.total()).isEqualTo(2_271_333L);
        return hits.hits();
    }

    @Test
    void ggrSeedReproducesTheOriginalTableAndHitRate() throws Exception {
        Reordering reordering = compile("initial").reorder(beer, evaluator.datasets(Split.TRAIN).get(0).mergeGroups());
        assertThat(reordering.merges()).containsExactly(List.of("beer/name", "beer/beerId"));
        Table merged = beer.merged(reordering.merges());
        PrefixHits hits = new PrefixHits();
        List<String> firstRows = new ArrayList<>();
        int intThenString = 0;
        int idColumn = merged.columnIndex("review/time");
        int nameColumn = merged.columnIndex("review/profileName");
        for (int i = 0; i < merged.rowCount(); i++) {
            List<String> cells = new ArrayList<>();
            for (int c : reordering.columnOrder()[i]) {
                cells.add(merged.text(reordering.rowOrder()[i], c));
            }
            int[] order = reordering.columnOrder()[i];
            if (order[order.length - 2] == idColumn && order[order.length - 1] == nameColumn) {
                intThenString++;
            }
            if (i < 3) {
                firstRows.add(String.join(" | ", cells));
            }
            hits.add(String.join("", cells));
        }
        assertThat(hits.hits()).isEqualTo(1_606_630L);
        assertThat(hits.hitRate()).isEqualTo(0.7073511457809135);
        assertThat(intThenString).isEqualTo(14_468);
        assertThat(firstRows).containsExactly(
                "Abbey Dubbel | Barley Island Dubbel58510 | 6/10 | 4/5 | 4/5 | 15/20 | 1146009600 | MI2CA",
                "Abbey Dubbel | Barley Island Dubbel58510 | 7/10 | 4/5 | 4/5 | 14/20 | 1146268800 | Tmoney99",
                "Abbey Dubbel | Brunehaut Abbaye de Saint-Martin Brune71721 | 3/5 | 5/5 | 6/10 | 14/20 | yemenmocha | 1267401600");
    }

    @Test
    void ggrWithoutMergeGivesItsGoldenHits() throws Exception {
        Reordering reordering = compile("initial").reorder(beer, List.of());
        PrefixHits hits = new PrefixHits();
        for (int i = 0; i < beer.rowCount(); i++) {
            StringBuilder s = new StringBuilder();
            for (int c : reordering.columnOrder()[i]) {
                s.append(beer.text(reordering.rowOrder()[i], c));
            }
            hits.add(s.toString());
        }
        assertThat(hits.hits()).isEqualTo(1_553_342L);
    }

    @Test
    void quarterTestSplitKeepsGgrFarAheadOfTheOriginalOrder() throws Exception {
        CandidateCompiler compiler = new CandidateCompiler();
        EvaluationReport ggr = evaluator.evaluate(compiler.compile(TASK.initialProgram().source(), TableReorderer.class), Split.TEST);
        EvaluationReport original = evaluator.evaluate(
                compiler.compile(TASK.baseline("original-order").orElseThrow().source(), TableReorderer.class), Split.TEST);
        assertThat(ggr.runs()).hasSize(4);
        assertThat(ggr.runs().stream().mapToInt(run -> (int) run.get("rows")).sum()).isEqualTo(28_479);
        assertThat(ggr.metrics().get("hitRate")).isGreaterThan(0.6);
        assertThat(original.metrics().get("hitRate")).isLessThan(ggr.metrics().get("hitRate"));
    }
}
