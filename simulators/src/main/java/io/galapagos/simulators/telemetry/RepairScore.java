package io.galapagos.simulators.telemetry;

import java.util.Map;

/**
 * The original evaluator's three scores of one snapshot (telemetry-repair.md T6), in its exact
 * arithmetic order. Only called on validated output, so every interface has an answer.
 */
record RepairScore(double counter, double status, double calibration) {

    double combined() {
        return counter * 0.75 + status * 0.05 + calibration * 0.2;
    }

    static RepairScore of(TelemetryCase run, Map<String, InterfaceRepair> output) {
        double counterTotal = 0.0;
        int counterCount = 0;
        int statusCount = 0;
        int statusCorrect = 0;
        double calibrationTotal = 0.0;
        int calibrationCount = 0;
        for (ReferenceInterface truth : run.truth()) {
            InterfaceRepair answer = output.get(truth.id());
            double[] trueRates = {truth.trueRx(), truth.trueTx()};
            CounterRepair[] answers = {answer.rxRate(), answer.txRate()};
            for (int f = 0; f < 2; f++) {
                double g = trueRates[f];
                if (g > 0) {
                    double error = Math.abs(answers[f].repaired() - g) / g;
                    counterTotal += Math.min(error, 1.0);
                    counterCount++;
                }
            }
            statusCount++;
            if (ReferenceInterface.TRUE_STATUS.equals(answer.status().repaired())) {
                statusCorrect++;
            }
            for (int f = 0; f < 2; f++) {
                calibrationTotal += calibration(trueRates[f], answers[f].repaired(), answers[f].confidence());
                calibrationCount++;
            }
        }
        double counter = counterCount == 0 ? 0.0 : Math.max(0.0, 1.0 - counterTotal / counterCount);
        double status = statusCount == 0 ? 1.0 : (double) statusCorrect / statusCount;
        double calibration = calibrationCount == 0 ? 1.0 : calibrationTotal / calibrationCount;
        return new RepairScore(counter, status, calibration);
    }

    /** High confidence pays when the value is within 20 % of the truth, low confidence when it is not. */
    private static double calibration(double truth, double repaired, double confidence) {
        double scale = Math.max(Math.max(Math.abs(truth), Math.abs(repaired)), 1.0);
        double accuracy = 1.0 - Math.abs(truth - repaired) / scale;
        double s;
        if (accuracy > 0.8) {
            s = confidence > 0.7 ? 1.0 : 0.5 + (confidence - 0.3) * 1.25;
        } else {
            s = confidence < 0.3 ? 0.8 : Math.max(0.0, 0.8 - (confidence * (1.0 - accuracy)) * 2.0);
        }
        return Math.max(0.0, Math.min(1.0, s));
    }
}
