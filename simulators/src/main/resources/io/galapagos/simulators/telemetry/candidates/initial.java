import io.galapagos.simulators.telemetry.CounterRepair;
import io.galapagos.simulators.telemetry.InterfaceCounters;
import io.galapagos.simulators.telemetry.InterfaceRepair;
import io.galapagos.simulators.telemetry.StatusRepair;
import io.galapagos.simulators.telemetry.TelemetryRepairer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The published seed without its loop bug: repairs nothing, reports every rate as 0 with confidence 1. */
public class NoRepair implements TelemetryRepairer {

    @Override
    public Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured,
                                               Map<String, List<String>> topology) {
        Map<String, InterfaceRepair> repaired = new LinkedHashMap<>();
        // EVOLVE-BLOCK-START
        for (Map.Entry<String, InterfaceCounters> entry : measured.entrySet()) {
            InterfaceCounters counters = entry.getValue();
            repaired.put(entry.getKey(), new InterfaceRepair(
                    new CounterRepair(counters.rxRate(), 0.0, 1.0),
                    new CounterRepair(counters.txRate(), 0.0, 1.0),
                    new StatusRepair(counters.status(), counters.status(), 1.0)));
        }
        // EVOLVE-BLOCK-END
        return repaired;
    }
}
