import io.galapagos.simulators.telemetry.CounterRepair;
import io.galapagos.simulators.telemetry.InterfaceCounters;
import io.galapagos.simulators.telemetry.InterfaceRepair;
import io.galapagos.simulators.telemetry.StatusRepair;
import io.galapagos.simulators.telemetry.TelemetryRepairer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trusts every measurement: reports the measured value with confidence 1. */
public class Identity implements TelemetryRepairer {

    @Override
    public Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured,
                                               Map<String, List<String>> topology) {
        Map<String, InterfaceRepair> repaired = new LinkedHashMap<>();
        // EVOLVE-BLOCK-START
        for (Map.Entry<String, InterfaceCounters> entry : measured.entrySet()) {
            InterfaceCounters counters = entry.getValue();
            repaired.put(entry.getKey(), new InterfaceRepair(
                    new CounterRepair(counters.rxRate(), counters.rxRate(), 1.0),
                    new CounterRepair(counters.txRate(), counters.txRate(), 1.0),
                    new StatusRepair(counters.status(), counters.status(), 1.0)));
        }
        // EVOLVE-BLOCK-END
        return repaired;
    }
}
