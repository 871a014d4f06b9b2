package io.galapagos.simulators.telemetry;

/** A candidate's repair of one interface: both rates and the status. */
public record InterfaceRepair(CounterRepair rxRate, CounterRepair txRate, StatusRepair status) {
}
