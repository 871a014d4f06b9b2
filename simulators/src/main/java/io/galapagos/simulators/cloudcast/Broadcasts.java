package io.galapagos.simulators.cloudcast;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The network and the broadcasts of each split.
 * <ul>
 *   <li>TRAIN: with a data directory the published graph and the five published configurations
 *   (the original evaluator's set, in its order); synthetic: a generated graph and five generated
 *   broadcasts of the same shapes.</li>
 *   <li>SMOKE: the first TRAIN broadcast cut to its first two destinations and two partitions.</li>
 *   <li>TEST (held out): five generated broadcasts of the same shapes on the same graph, from the
 *   seed {@code ~seed} (seed 42 with a data directory).</li>
 * </ul>
 *
 * @param graph    the network every broadcast runs on
 * @param requests the broadcasts of each split
 */
public record Broadcasts(CloudGraph graph, Map<Split, List<BroadcastRequest>> requests) {

    public Broadcasts {
        requests = Map.copyOf(requests);
    }

    public static Broadcasts load(DataSource source) {
        CloudGraph graph;
        List<BroadcastRequest> train;
        long seed;
        if (source instanceof DataSource.Directory dir) {
            Path folder = dir.taskDirectory("cloudcast");
            graph = CloudcastData.readGraph(folder);
            train = CloudcastData.CONFIGS.stream().map(name -> CloudcastData.readConfig(folder, name)).toList();
            seed = DataSource.DEFAULT_SEED;
        } else {
            seed = ((DataSource.Synthetic) source).seed();
            graph = CloudcastGenerator.graph(seed);
            train = CloudcastGenerator.requests(graph, seed, "");
        }
        BroadcastRequest first = train.get(0);
        BroadcastRequest smoke = new BroadcastRequest(first.name() + "[smoke]", first.source(),
                first.destinations().subList(0, Math.min(2, first.destinations().size())), first.dataVolumeGb() / first.partitions() * 2,
                Math.min(2, first.partitions()), first.ingressLimitGbps(), first.egressLimitGbps());
        Map<Split, List<BroadcastRequest>> splits = new EnumMap<>(Split.class);
        splits.put(Split.SMOKE, List.of(smoke));
        splits.put(Split.TRAIN, List.copyOf(train));
        splits.put(Split.TEST, CloudcastGenerator.requests(graph, ~seed, "test_"));
        for (List<BroadcastRequest> list : splits.values()) {
            for (BroadcastRequest r : list) {
                for (String node : r.destinations()) {
                    if (!graph.contains(node) || !graph.contains(r.source())) {
                        throw new io.galapagos.simulators.WorkloadException("broadcast " + r.name()
                                + " names a region missing from the graph: " + (graph.contains(node) ? r.source() : node));
                    }
                }
            }
        }
        return new Broadcasts(graph, splits);
    }
}
