import io.galapagos.simulators.telemetry.CounterRepair;
import io.galapagos.simulators.telemetry.InterfaceCounters;
import io.galapagos.simulators.telemetry.InterfaceRepair;
import io.galapagos.simulators.telemetry.StatusRepair;
import io.galapagos.simulators.telemetry.TelemetryRepairer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hodor-style repair: the two ends of a link must see the same rate (link symmetry). When they
 * disagree, blame the end that reads zero, else the end whose router disagrees with more of its other
 * neighbours (a router-wide fault), else the end whose router gets closer to flow conservation
 * (sum of received = sum of sent) with its peer's value.
 */
public class HodorRepair implements TelemetryRepairer {

    // EVOLVE-BLOCK-START
    private static final double TOLERANCE = 0.06;
    private static final double SUSPICION_GAP = 0.25;

    private Map<String, InterfaceCounters> measured;
    private Map<String, List<String>> topology;
    private final Map<String, double[]> rates = new HashMap<>();
    private final Map<String, double[]> confidence = new HashMap<>();

    @Override
    public Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured,
                                               Map<String, List<String>> topology) {
        this.measured = measured;
        this.topology = topology;
        for (Map.Entry<String, InterfaceCounters> e : measured.entrySet()) {
            rates.put(e.getKey(), new double[] {e.getValue().rxRate(), e.getValue().txRate()});
            confidence.put(e.getKey(), new double[] {0.95, 0.95});
        }
        for (String id : measured.keySet()) {
            String peer = measured.get(id).connectedTo();
            if (measured.containsKey(peer) && id.compareTo(peer) < 0) {
                repairLink(id, peer);
            }
        }
        Map<String, InterfaceRepair> repaired = new LinkedHashMap<>();
        for (Map.Entry<String, InterfaceCounters> e : measured.entrySet()) {
            InterfaceCounters c = e.getValue();
            double[] r = rates.get(e.getKey());
            double[] k = confidence.get(e.getKey());
            repaired.put(e.getKey(), new InterfaceRepair(
                    new CounterRepair(c.rxRate(), r[0], k[0]),
                    new CounterRepair(c.txRate(), r[1], k[1]),
                    new StatusRepair(c.status(), c.status(), 0.95)));
        }
        return repaired;
    }

    private void repairLink(String a, String b) {
        InterfaceCounters x = measured.get(a);
        InterfaceCounters y = measured.get(b);
        boolean rxOff = disagree(x.rxRate(), y.txRate());
        boolean txOff = disagree(x.txRate(), y.rxRate());
        if (!rxOff && !txOff) {
            return;
        }
        String faulty;
        double certainty;
        boolean xZero = x.rxRate() == 0 && x.txRate() == 0;
        boolean yZero = y.rxRate() == 0 && y.txRate() == 0;
        double sx = suspicion(x.localRouter(), a);
        double sy = suspicion(y.localRouter(), b);
        if (xZero && yZero) {
            confidence.put(a, new double[] {0.2, 0.2});
            confidence.put(b, new double[] {0.2, 0.2});
            return;
        } else if (xZero != yZero) {
            faulty = xZero ? a : b;
            certainty = 0.9;
        } else if (Math.abs(sx - sy) > SUSPICION_GAP) {
            faulty = sx > sy ? a : b;
            certainty = 0.85;
        } else {
            faulty = imbalanceIfReplaced(a, b) <= imbalanceIfReplaced(b, a) ? a : b;
            certainty = 0.55;
        }
        // the faulty end's rx mirrors the healthy end's tx, and its tx the healthy end's rx
        String healthy = faulty.equals(a) ? b : a;
        rates.put(faulty, new double[] {measured.get(healthy).txRate(), measured.get(healthy).rxRate()});
        confidence.put(faulty, new double[] {certainty, certainty});
        confidence.put(healthy, new double[] {certainty, certainty});
    }

    private static boolean disagree(double u, double v) {
        return Math.abs(u - v) > TOLERANCE * Math.max(Math.abs(u), Math.abs(v));
    }

    /** Share of the router's other links whose two ends disagree. */
    private double suspicion(String router, String except) {
        int links = 0;
        int off = 0;
        for (String id : topology.getOrDefault(router, List.of())) {
            InterfaceCounters c = measured.get(id);
            InterfaceCounters peer = measured.get(c.connectedTo());
            if (id.equals(except) || peer == null) {
                continue;
            }
            links++;
            if (disagree(c.rxRate(), peer.txRate()) || disagree(c.txRate(), peer.rxRate())) {
                off++;
            }
        }
        return links == 0 ? 0.0 : (double) off / links;
    }

    /** Relative flow imbalance of both routers if {@code faulty} took its peer's mirrored rates. */
    private double imbalanceIfReplaced(String faulty, String healthy) {
        Map<String, double[]> trial = new HashMap<>();
        trial.put(faulty, new double[] {measured.get(healthy).txRate(), measured.get(healthy).rxRate()});
        return imbalance(measured.get(faulty).localRouter(), trial) + imbalance(measured.get(healthy).localRouter(), trial);
    }

    private double imbalance(String router, Map<String, double[]> trial) {
        double in = 0;
        double out = 0;
        for (String id : topology.getOrDefault(router, List.of())) {
            double[] r = trial.getOrDefault(id, rates.get(id));
            in += r[0];
            out += r[1];
        }
        return in + out == 0 ? 0.0 : Math.abs(in - out) / (in + out);
    }
    // EVOLVE-BLOCK-END
}
