package io.galapagos.simulators.telemetry;

import io.galapagos.simulators.PythonRandom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original evaluator's seeded corruption of one snapshot (telemetry-repair.md T5), draw for draw:
 * ±2 % noise on every counter, then a fault type that drops or scales single interfaces or every
 * interface of a router. Unlike the original, the correlated faults do not copy the ground truth into
 * the candidate's input; that changes no random draw.
 */
final class Corruption {

    private static final double NOISE_LOW = 0.98;
    private static final double NOISE_HIGH = 1.02;
    private static final double SINGLE_FAULT_PROBABILITY = 0.20;
    private static final double ROUTER_SPARED_PROBABILITY = 0.80;

    private Corruption() {
    }

    static TelemetryCase corrupt(NetworkSnapshot snapshot, PythonRandom rng) {
        Map<String, List<String>> topology = snapshot.topology();
        Map<String, ReferenceInterface> byId = new LinkedHashMap<>();
        for (ReferenceInterface i : snapshot.interfaces()) {
            byId.put(i.id(), i);
        }
        Fault fault = rng.choice(Fault.DRAW_ORDER);
        Map<String, InterfaceCounters> measured = new LinkedHashMap<>();
        for (ReferenceInterface i : snapshot.interfaces()) {
            InterfaceCounters c = i.counters();
            double rx = c.rxRate() * rng.uniform(NOISE_LOW, NOISE_HIGH);
            double tx = c.txRate() * rng.uniform(NOISE_LOW, NOISE_HIGH);
            if (fault == Fault.DROPPED) {
                if (rng.random() < SINGLE_FAULT_PROBABILITY) {
                    rx = 0.0;
                    tx = 0.0;
                }
            } else if (fault == Fault.SCALED) {
                if (rng.random() < SINGLE_FAULT_PROBABILITY) {
                    rx = rx * scaleFactor(rng);
                    tx = tx * scaleFactor(rng);
                }
            }
            measured.put(i.id(), c.withRates(rx, tx));
        }
        for (List<String> interfaces : topology.values()) {
            if (rng.random() < ROUTER_SPARED_PROBABILITY) {
                continue;
            }
            for (String id : interfaces) {
                InterfaceCounters original = byId.get(id).counters();
                if (fault == Fault.CORRELATED_DROPPED) {
                    measured.put(id, original.withRates(0.0, 0.0));
                } else if (fault == Fault.CORRELATED_SCALED) {
                    double rx = original.rxRate() * scaleFactor(rng);
                    double tx = original.txRate() * scaleFactor(rng);
                    measured.put(id, original.withRates(rx, tx));
                }
            }
        }
        return new TelemetryCase(snapshot.label(), fault, topology, measured, snapshot.interfaces());
    }

    /** {@code choice([uniform(0.5, 0.8), uniform(1.2, 1.5)])}: both drawn, low first. */
    private static double scaleFactor(PythonRandom rng) {
        double low = rng.uniform(0.5, 0.8);
        double high = rng.uniform(1.2, 1.5);
        return rng.randbelow(2) == 0 ? low : high;
    }
}
