package io.galapagos.simulators.telemetry;

import io.galapagos.simulators.SplitMix64;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Seeded snapshots of a backbone shaped like the published one (12 routers, 15 bidirectional links):
 * a ring with chords, gravity-model demands between all router pairs routed on shortest hop paths,
 * and true counters that differ by up to ±1.5 % between the two ends of a link, as the published
 * measurements do. Same seed, same network and same snapshots.
 */
final class SyntheticTelemetry {

    static final int ROUTERS = 12;
    static final int LINKS = 15;
    private static final double END_DISAGREEMENT = 0.015;

    private final List<String> routers = new ArrayList<>();
    private final Set<List<Integer>> links = new LinkedHashSet<>();
    private final List<List<Integer>> neighbours = new ArrayList<>();

    /** The network of {@code seed}: a shuffled ring plus chords up to {@link #LINKS} links. */
    SyntheticTelemetry(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        for (int r = 0; r < ROUTERS; r++) {
            routers.add(String.format("R%02d", r + 1));
            neighbours.add(new ArrayList<>());
        }
        int[] ring = new int[ROUTERS];
        for (int i = 0; i < ROUTERS; i++) {
            ring[i] = i;
        }
        for (int i = ROUTERS - 1; i > 0; i--) {
            int j = rng.below(i + 1);
            int t = ring[i];
            ring[i] = ring[j];
            ring[j] = t;
        }
        for (int i = 0; i < ROUTERS; i++) {
            addLink(ring[i], ring[(i + 1) % ROUTERS]);
        }
        while (links.size() < LINKS) {
            addLink(rng.below(ROUTERS), rng.below(ROUTERS));
        }
        for (List<Integer> neighbourList : neighbours) {
            neighbourList.sort(null);
        }
    }

    private void addLink(int a, int b) {
        if (a == b || links.contains(List.of(Math.min(a, b), Math.max(a, b)))) {
            return;
        }
        links.add(List.of(Math.min(a, b), Math.max(a, b)));
        neighbours.get(a).add(b);
        neighbours.get(b).add(a);
    }

    /** {@code count} snapshots drawn from {@code rng}, labelled {@code prefix 0}, {@code prefix 1}, ... */
    List<NetworkSnapshot> snapshots(SplitMix64 rng, int count, String prefix) {
        List<NetworkSnapshot> result = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            result.add(snapshot(rng, prefix + " " + s));
        }
        return result;
    }

    private NetworkSnapshot snapshot(SplitMix64 rng, String label) {
        double[] mass = new double[ROUTERS];
        double massTotal = 0;
        for (int r = 0; r < ROUTERS; r++) {
            // a few small sites next to big hubs, as in a real backbone
            mass[r] = rng.nextDouble() < 0.15 ? rng.uniform(0.02, 0.1) : rng.uniform(0.4, 2.0);
            massTotal += mass[r];
        }
        double offered = rng.uniform(1500.0, 6000.0);
        double[][] load = new double[ROUTERS][ROUTERS];
        for (int a = 0; a < ROUTERS; a++) {
            for (int b = 0; b < ROUTERS; b++) {
                if (a != b) {
                    double demand = offered * mass[a] * mass[b] / (massTotal * massTotal);
                    List<Integer> path = shortestPath(a, b);
                    for (int h = 0; h + 1 < path.size(); h++) {
                        load[path.get(h)][path.get(h + 1)] += demand;
                    }
                }
            }
        }
        List<ReferenceInterface> interfaces = new ArrayList<>();
        for (int a = 0; a < ROUTERS; a++) {
            for (int b : neighbours.get(a)) {
                double tx = round3(load[a][b] * rng.uniform(1 - END_DISAGREEMENT, 1 + END_DISAGREEMENT));
                double rx = round3(load[b][a] * rng.uniform(1 - END_DISAGREEMENT, 1 + END_DISAGREEMENT));
                String local = routers.get(a);
                String remote = routers.get(b);
                InterfaceCounters counters = new InterfaceCounters("up", rx, tx, remote + "_to_" + local, local, remote);
                interfaces.add(new ReferenceInterface(local + "_to_" + remote, counters, rx, tx));
            }
        }
        return new NetworkSnapshot(label, interfaces);
    }

    /** Breadth-first shortest hop path; ties go to the lower-numbered neighbour. */
    private List<Integer> shortestPath(int from, int to) {
        int[] previous = new int[ROUTERS];
        java.util.Arrays.fill(previous, -1);
        previous[from] = from;
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            int at = queue.poll();
            for (int next : neighbours.get(at)) {
                if (previous[next] < 0) {
                    previous[next] = at;
                    queue.add(next);
                }
            }
        }
        List<Integer> path = new ArrayList<>();
        for (int at = to; at != from; at = previous[at]) {
            path.add(0, at);
        }
        path.add(0, from);
        return path;
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
