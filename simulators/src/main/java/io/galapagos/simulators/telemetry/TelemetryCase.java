package io.galapagos.simulators.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulation run: a snapshot after corruption, as the candidate sees it, next to its truth.
 *
 * @param label    names the snapshot in feedback ({@code row 7 (2004/03/05 03:00 UTC)})
 * @param fault    the corruption drawn for this run
 * @param topology router to interface ids
 * @param measured the corrupted counters handed to the candidate (no ground truth in them)
 * @param truth    the snapshot's interfaces with their true rates, in scoring order
 */
record TelemetryCase(String label, Fault fault, Map<String, List<String>> topology,
                     Map<String, InterfaceCounters> measured, List<ReferenceInterface> truth) {

    TelemetryCase {
        measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
        truth = List.copyOf(truth);
    }
}
