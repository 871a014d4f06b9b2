package io.galapagos.simulators.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The interfaces of one telemetry snapshot, in the order of first appearance. */
record NetworkSnapshot(String label, List<ReferenceInterface> interfaces) {

    NetworkSnapshot {
        interfaces = List.copyOf(interfaces);
    }

    /** Router to its interface ids, routers in the order their first interface appears. */
    Map<String, List<String>> topology() {
        Map<String, List<String>> routers = new LinkedHashMap<>();
        for (ReferenceInterface i : interfaces) {
            routers.computeIfAbsent(i.counters().localRouter(), r -> new ArrayList<>()).add(i.id());
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        routers.forEach((router, ids) -> frozen.put(router, List.copyOf(ids)));
        return Collections.unmodifiableMap(frozen);
    }
}
