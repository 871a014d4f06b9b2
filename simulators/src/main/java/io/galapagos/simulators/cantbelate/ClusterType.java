package io.galapagos.simulators.cantbelate;

/** What runs the job during one tick: nothing, a preemptible spot instance, or an on-demand instance. */
public enum ClusterType { NONE, SPOT, ON_DEMAND }
