package io.galapagos.simulators.cloudcast;

import java.util.List;
import java.util.Map;

/**
 * One broadcast: send {@code dataVolumeGb} from {@code source} to every destination, split into
 * {@code partitions} equal partitions that may take different paths.
 *
 * @param name              configuration name, e.g. {@code intra_aws}
 * @param source            the region holding the data
 * @param destinations      regions that must each receive every partition
 * @param dataVolumeGb      total data, GB
 * @param partitions        number of partitions
 * @param ingressLimitGbps  per-provider ingress limit of a region (two VMs), Gbit/s
 * @param egressLimitGbps   per-provider egress limit of a region (two VMs), Gbit/s
 */
public record BroadcastRequest(String name, String source, List<String> destinations, double dataVolumeGb,
                               int partitions, Map<String, Double> ingressLimitGbps,
                               Map<String, Double> egressLimitGbps) {
    public BroadcastRequest {
        destinations = List.copyOf(destinations);
        ingressLimitGbps = Map.copyOf(ingressLimitGbps);
        egressLimitGbps = Map.copyOf(egressLimitGbps);
    }
}
