package io.galapagos.simulators.telemetry;

import java.util.List;
import java.util.Map;

/** A telemetry repair policy: the candidate interface of the telemetry-repair task. */
public interface TelemetryRepairer {

    /**
     * Repairs one snapshot of the network's interface counters.
     *
     * @param measured interface id ({@code A_to_B}) to its counters as measured, some of them corrupted;
     *                 unmodifiable, in topology order
     * @param topology router to the ids of its interfaces; unmodifiable, in router order
     * @return interface id to its repair, one entry for every measured interface and no other
     */
    Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured, Map<String, List<String>> topology);
}
