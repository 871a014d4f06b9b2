package io.galapagos.controller.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * A program split into lines with its EVOLVE-BLOCK regions: only the lines strictly between a
 * {@code EVOLVE-BLOCK-START} comment line and the next {@code EVOLVE-BLOCK-END} line may change.
 */
record EvolveBlocks(List<String> lines, List<Region> regions) {

    static final String START = "EVOLVE-BLOCK-START";
    static final String END = "EVOLVE-BLOCK-END";

    /**
     * One region; line indexes are 0-based, the markers themselves are outside.
     *
     * @param startMarker index of the START marker line
     * @param endMarker   index of the END marker line
     */
    record Region(int startMarker, int endMarker) {
        /** Whether lines {@code [from, to)} (or the insertion point {@code from == to}) lie inside. */
        boolean contains(int from, int to) {
            return from > startMarker && to <= endMarker;
        }

        String describe() {
            return "lines " + (startMarker + 2) + "-" + endMarker;
        }
    }

    EvolveBlocks {
        lines = List.copyOf(lines);
        regions = List.copyOf(regions);
    }

    /** The regions of {@code code}, or {@link EditRejected} when the markers are missing or unpaired. */
    static EvolveBlocks of(String code, String whose) {
        List<String> lines = splitLines(code);
        List<Region> regions = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains(START)) {
                if (open >= 0) {
                    throw new EditRejected(whose + " opens a second " + START + " at line " + (i + 1)
                            + " before closing the one at line " + (open + 1));
                }
                open = i;
            } else if (line.contains(END)) {
                if (open < 0) {
                    throw new EditRejected(whose + " has " + END + " at line " + (i + 1) + " without a " + START);
                }
                regions.add(new Region(open, i));
                open = -1;
            }
        }
        if (open >= 0) {
            throw new EditRejected(whose + " never closes the " + START + " at line " + (open + 1));
        }
        if (regions.isEmpty()) {
            throw new EditRejected(whose + " has no " + START + " / " + END + " comment lines");
        }
        return new EvolveBlocks(lines, regions);
    }

    /** Lines of {@code text} with {@code \r\n} normalised; a final newline yields a last empty line. */
    static List<String> splitLines(String text) {
        return List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
    }

    static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    /** The region holding lines {@code [from, to)}, if any. */
    java.util.Optional<Region> regionContaining(int from, int to) {
        return regions.stream().filter(r -> r.contains(from, to)).findFirst();
    }

    /** Lines outside every region, markers included, per gap between regions. */
    List<List<String>> outside() {
        List<List<String>> parts = new ArrayList<>();
        int from = 0;
        for (Region r : regions) {
            parts.add(lines.subList(from, r.startMarker() + 1));
            from = r.endMarker();
        }
        parts.add(lines.subList(from, lines.size()));
        return parts;
    }

    /** Lines inside each region. */
    List<List<String>> inside() {
        List<List<String>> parts = new ArrayList<>();
        for (Region r : regions) {
            parts.add(lines.subList(r.startMarker() + 1, r.endMarker()));
        }
        return parts;
    }

    String describeRegions() {
        return regions.size() == 1 ? "the EVOLVE-BLOCK (" + regions.get(0).describe() + ")"
                : "the EVOLVE-BLOCKs (" + String.join(", ", regions.stream().map(Region::describe).toList()) + ")";
    }
}
