package io.galapagos.simulators.eplb;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The golden numbers of eplb.md E4-E5, measured with the original vLLM/DeepSeek EPLB and both
 * original evaluators on the synthetic workload (the published load file is not available).
 */
class EplbFidelityTest {

    private static long[][][] windows;
    private static ExpertPlacer baseline;

    @BeforeAll
    static void generate() throws Exception {
        windows = EplbEvaluator.load(DataSource.synthetic()).windows(Split.TRAIN);
        baseline = new CandidateCompiler().compile(new EplbTask().initialProgram().source(), ExpertPlacer.class).get();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Compact JSON of nested arrays: {@code [[1,2],[3]]}. */
    private static void json(StringBuilder out, Object array) {
        out.append('[');
        if (array instanceof long[] values) {
            for (int i = 0; i < values.length; i++) {
                out.append(i > 0 ? "," : "").append(values[i]);
            }
        } else if (array instanceof int[] values) {
            for (int i = 0; i < values.length; i++) {
                out.append(i > 0 ? "," : "").append(values[i]);
            }
        } else {
            Object[] items = (Object[]) array;
            for (int i = 0; i < items.length; i++) {
                out.append(i > 0 ? "," : "");
                json(out, items[i]);
            }
        }
        out.append(']');
    }

    private static String json(Object array) {
        StringBuilder out = new StringBuilder();
        json(out, array);
        return out.toString();
    }

    @Test
    void generatorReproducesTheSpecifiedWindows() throws Exception {
        assertThat(windows.length).isEqualTo(21);
        assertThat(Arrays.copyOf(windows[0][0], 16)).containsExactly(16211, 6877, 7703, 6689, 7261, 27257, 7769, 17957,
                7177, 6893, 6929, 6803, 6793, 7681, 6917, 8081);
        assertThat(sha256(json(windows))).isEqualTo("606442a589ee52a36996fe91858ce6712e87ae1bd27bcf19b53098031acced4f");
    }

    @Test
    void baselinePlacementsMatchTheOriginalAlgorithm() throws Exception {
        List<int[][]> slotExperts = new ArrayList<>();
        List<int[][]> counts = new ArrayList<>();
        for (int w = 0; w < 20; w++) {
            Placement p = baseline.rebalance(windows[w], ClusterShape.DEEPSEEK_V3);
            slotExperts.add(p.slotExperts());
            counts.add(p.replicaCounts());
        }
        int[] layer0 = slotExperts.get(0)[0];
        assertThat(Arrays.copyOfRange(layer0, 0, 9)).containsExactly(109, 69, 113, 83, 92, 74, 112, 99, 104);
        assertThat(Arrays.copyOfRange(layer0, 279, 288)).containsExactly(222, 193, 50, 63, 213, 195, 33, 214, 200);
        List<String> replicated = new ArrayList<>();
        for (int e = 0; e < 256; e++) {
            if (counts.get(0)[0][e] > 1) {
                replicated.add(e + ":" + counts.get(0)[0][e]);
            }
        }
        assertThat(String.join(", ", replicated)).isEqualTo("0:2, 5:3, 7:2, 17:2, 30:2, 34:2, 44:2, 58:2, 69:4, 89:5,"
                + " 104:2, 142:2, 146:2, 160:3, 168:2, 169:2, 182:2, 185:2, 187:3, 200:2, 206:2, 208:2, 212:2, 216:2");
        assertThat(sha256(json(slotExperts.toArray())))
                .isEqualTo("119ff5e13aa2d7b0e6d55c040ad856afe4a5f18e016f1a7be93e4670a69543b3");
        assertThat(sha256(json(counts.toArray())))
                .isEqualTo("dec22eae5bcc6ceceb1277589896cc6f60148a225701a4bab9db46cda8cd45fc");
    }

    @Test
    void baselineBalancednessIsTheGoldenPerSlotAndPerGpu() throws Exception {
        EvaluationReport report = EplbEvaluator.load(DataSource.synthetic()).evaluate(
                new CandidateCompiler().compile(new EplbTask().initialProgram().source(), ExpertPlacer.class), Split.TRAIN);
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.metrics().get("balancedness")).isCloseTo(0.6957017454066017, offset(1e-15));
        assertThat(report.metrics().get("balancednessGpu")).isCloseTo(0.9628735649254351, offset(1e-15));
        List<Double> perWindow = report.runs().stream().map(r -> (Double) r.get("balancedness")).toList();
        assertThat(perWindow).hasSize(20).allSatisfy(b -> assertThat(b).isBetween(0.668, 0.716));
    }
}
