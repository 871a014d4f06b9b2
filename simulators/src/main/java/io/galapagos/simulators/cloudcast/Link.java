package io.galapagos.simulators.cloudcast;

/**
 * A directed link between two cloud regions.
 *
 * @param from           source region, {@code provider:region}
 * @param to             destination region
 * @param costPerGb      egress price, $/GB
 * @param throughputGbps measured throughput with two VMs per region, Gbit/s
 */
public record Link(String from, String to, double costPerGb, double throughputGbps) {
}
