package io.galapagos.controller.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every candidate's parent and first score, for the lineage and for what each generator's children earned,
 * when a {@link RunHistory.Reader}'s history no longer lists the candidate itself. Appended to by one reader,
 * read by the histories it handed out: a link once set never changes but for the score of a candidate
 * evaluated again.
 *
 * <p>Ids of the form {@code <island id>/<sequence>} (every island's) take 16 bytes a proposal, in pages of
 * {@link #PAGE_ENTRIES} (a {@code long[]} of parents and a {@code double[]} of scores) per island, indexed by
 * sequence. So that a run's memory does not grow with its length (a multi-week run proposes tens of millions),
 * only each island's {@link #NEWEST_PAGES} newest pages, where nearly every write goes, and a shared LRU cache
 * of {@link #CACHED_PAGES} older ones, where the lineages and the parents of recent children are read, stay
 * on the heap; the older pages go to one scratch file, unlinked as soon as it is open so that a killed process
 * leaves nothing behind, and come back through the cache when read or, rarely, written again (a late proposal,
 * a candidate evaluated again). The heap then holds a fixed few hundred kilobytes, plus 8 bytes per page
 * spilled (its place in the file); the file grows by 16 bytes a proposal. Other ids (tests') take a map entry.
 */
public final class CandidateLinks {

    /** Entries per page: 16 KB a page. */
    static final int PAGE_ENTRIES = 1_024;
    /** Pages of each island always on the heap, the newest: where proposals and first evaluations write. */
    static final int NEWEST_PAGES = 2;
    /** Older pages on the heap at most, of all islands, the most recently used. */
    static final int CACHED_PAGES = 16;

    private static final int PAGE_BYTES = PAGE_ENTRIES * (Long.BYTES + Double.BYTES);
    private static final long NOT_ON_FILE = -1;
    private static final Cleaner CLEANER = Cleaner.create();

    /** No parent; a parent held in {@link #otherParents}. */
    private static final long NONE = 0;
    private static final long OTHER = -1;

    private final Map<String, Integer> islandNos = new HashMap<>();
    private final List<String> islandIds = new ArrayList<>();
    private IslandPages[] islands = new IslandPages[0];
    /** Older pages, least recently used first; a dirty one is written to the file when it leaves. */
    private final LinkedHashMap<Long, Page> cached = new LinkedHashMap<>(CACHED_PAGES * 2, 0.75f, true);
    /** Older pages the scratch file could not take (it could not be created or written): kept as before paging. */
    private final Map<Long, Page> unspilled = new HashMap<>();
    private final Map<String, String> otherParents = new HashMap<>();
    private final Map<String, Double> otherScores = new HashMap<>();
    /** Created at the first spill; null before, or when it cannot be created. */
    private Scratch scratch;
    private boolean noScratch;
    private long pagesOnFile;
    private ByteBuffer buffer;

    /** The links of {@code candidates}, for a history built from a list. */
    static CandidateLinks of(List<RunHistory.Candidate> candidates) {
        CandidateLinks links = new CandidateLinks();
        for (RunHistory.Candidate c : candidates) {
            links.island(c.island());
            links.proposed(c.candidateId(), c.parentId());
        }
        for (RunHistory.Candidate c : candidates) {
            c.evaluation().ifPresent(e -> links.evaluated(c.candidateId(), e.status().succeeded(), e.score()));
        }
        return links;
    }

    /** Makes {@code islandId}'s candidates take the pages. */
    synchronized void island(String islandId) {
        if (islandNos.containsKey(islandId)) {
            return;
        }
        islandNos.put(islandId, islandIds.size());
        islandIds.add(islandId);
        islands = Arrays.copyOf(islands, islandIds.size());
        islands[islands.length - 1] = new IslandPages();
    }

    synchronized void proposed(String candidateId, Optional<String> parentId) {
        long at = place(candidateId);
        long parent = parentId.map(this::place).orElse(NONE);
        if (at == OTHER || parent == OTHER) {
            parentId.ifPresent(p -> otherParents.put(candidateId, p));
            if (at == OTHER) {
                return;
            }
            parent = OTHER;
        }
        Page page = written(island(at), sequence(at));
        page.parents[offset(sequence(at))] = parent;
    }

    /** The candidate's score; a failed evaluation has none. */
    synchronized void evaluated(String candidateId, boolean succeeded, double score) {
        double value = succeeded ? score : Double.NaN;
        long at = place(candidateId);
        if (at == OTHER) {
            otherScores.put(candidateId, value);
            return;
        }
        Page page = written(island(at), sequence(at));
        page.scores[offset(sequence(at))] = value;
    }

    synchronized Optional<String> parent(String candidateId) {
        long at = place(candidateId);
        long parent = OTHER;
        if (at != OTHER && sequence(at) < islands[island(at)].size) {
            Page page = page(island(at), pageIndex(sequence(at)));
            parent = page == null ? NONE : page.parents[offset(sequence(at))];
        }
        if (parent == OTHER) {
            return Optional.ofNullable(otherParents.get(candidateId));
        }
        return parent == NONE ? Optional.empty() : Optional.of(islandIds.get(island(parent)) + "/" + sequence(parent));
    }

    /** The succeeded score of the candidate's evaluation; empty when it failed, is in flight or is unknown. */
    synchronized Optional<Double> score(String candidateId) {
        long at = place(candidateId);
        double score;
        if (at == OTHER) {
            score = otherScores.getOrDefault(candidateId, Double.NaN);
        } else {
            Page page = sequence(at) < islands[island(at)].size ? page(island(at), pageIndex(sequence(at))) : null;
            score = page == null ? Double.NaN : page.scores[offset(sequence(at))];
        }
        return Double.isNaN(score) ? Optional.empty() : Optional.of(score);
    }

    /** Pages on the heap now: each island's newest, the cached older ones, and any the file could not take. */
    synchronized int residentPages() {
        int resident = cached.size() + unspilled.size();
        for (IslandPages island : islands) {
            for (Page page : island.newest) {
                resident += page == null ? 0 : 1;
            }
        }
        return resident;
    }

    /** Pages the scratch file has taken. */
    synchronized long pagesOnFile() {
        return pagesOnFile;
    }

    /** Island number + 1 and sequence in one long; {@link #OTHER} for an id of another form. */
    private long place(String candidateId) {
        int slash = candidateId.lastIndexOf('/');
        if (slash <= 0 || slash == candidateId.length() - 1) {
            return OTHER;
        }
        Integer island = islandNos.get(candidateId.substring(0, slash));
        if (island == null) {
            return OTHER;
        }
        long sequence;
        try {
            sequence = Long.parseLong(candidateId.substring(slash + 1));
        } catch (NumberFormatException e) {
            return OTHER;
        }
        if (sequence < 0 || sequence >= Integer.MAX_VALUE - 8) {
            return OTHER;
        }
        return ((long) (island + 1) << 32) | sequence;
    }

    private static int island(long place) {
        return (int) (place >>> 32) - 1;
    }

    private static int sequence(long place) {
        return (int) place;
    }

    private static int pageIndex(int sequence) {
        return sequence / PAGE_ENTRIES;
    }

    private static int offset(int sequence) {
        return sequence % PAGE_ENTRIES;
    }

    /** The page holding {@code sequence}, to be written: created (parents NONE, scores NaN) if there was none. */
    private Page written(int island, int sequence) {
        IslandPages pages = islands[island];
        pages.size = Math.max(pages.size, sequence + 1L);
        int index = pageIndex(sequence);
        if (index > pages.newestIndex) {
            advance(island, index);
        }
        Page page = page(island, index);
        if (page == null) {
            page = new Page(key(island, index));
            if (index > pages.newestIndex - NEWEST_PAGES) {
                pages.newest[index % NEWEST_PAGES] = page;
            } else {
                cache(page); // a page skipped when it was new, written late
            }
        }
        page.dirty = true;
        return page;
    }

    private Page page(int island, int index) {
        IslandPages pages = islands[island];
        if (index > pages.newestIndex) {
            return null;
        }
        if (index > pages.newestIndex - NEWEST_PAGES) {
            return pages.newest[index % NEWEST_PAGES];
        }
        long key = key(island, index);
        Page page = cached.get(key);
        if (page == null) {
            page = unspilled.get(key);
        }
        if (page == null && index < pages.positions.length && pages.positions[index] != NOT_ON_FILE) {
            page = load(key, pages.positions[index]);
            cache(page);
        }
        return page;
    }

    /** Makes page {@code index} the island's newest: those no longer among the newest go to the cache. */
    private void advance(int island, int index) {
        IslandPages pages = islands[island];
        pages.newestIndex = index;
        for (int slot = 0; slot < NEWEST_PAGES; slot++) {
            Page page = pages.newest[slot];
            if (page != null && keyIndex(page.key) <= index - NEWEST_PAGES) {
                pages.newest[slot] = null;
                cache(page);
            }
        }
    }

    private void cache(Page page) {
        cached.put(page.key, page);
        if (cached.size() > CACHED_PAGES) {
            Iterator<Page> eldest = cached.values().iterator();
            Page evicted = eldest.next();
            eldest.remove();
            if (evicted.dirty) {
                spill(evicted);
            }
        }
    }

    /** Writes {@code page} to its place in the scratch file, given at its first spill; on the heap if it cannot. */
    private void spill(Page page) {
        FileChannel channel = channel();
        if (channel == null) {
            unspilled.put(page.key, page);
            return;
        }
        IslandPages pages = islands[keyIsland(page.key)];
        int index = keyIndex(page.key);
        if (index >= pages.positions.length) {
            int length = Math.max(index + 1, pages.positions.length * 3 / 2);
            int was = pages.positions.length;
            pages.positions = Arrays.copyOf(pages.positions, length);
            Arrays.fill(pages.positions, was, length, NOT_ON_FILE);
        }
        long position = pages.positions[index] != NOT_ON_FILE ? pages.positions[index] : pagesOnFile * PAGE_BYTES;
        ByteBuffer bytes = buffer();
        bytes.asLongBuffer().put(page.parents);
        bytes.position(PAGE_ENTRIES * Long.BYTES);
        bytes.asDoubleBuffer().put(page.scores);
        bytes.position(0);
        try {
            transfer(channel, bytes, position, true);
        } catch (IOException e) {
            // a full or failing disk: the page stays on the heap, as before paging, and the answers stay exact
            unspilled.put(page.key, page);
            return;
        }
        if (pages.positions[index] == NOT_ON_FILE) {
            pages.positions[index] = position;
            pagesOnFile++;
        }
        page.dirty = false;
    }

    private Page load(long key, long position) {
        ByteBuffer bytes = buffer();
        try {
            transfer(scratch.channel, bytes, position, false);
        } catch (IOException e) {
            throw new UncheckedIOException("candidate links: reading a page back from the scratch file failed", e);
        }
        bytes.position(0);
        Page page = new Page(key);
        bytes.asLongBuffer().get(page.parents);
        bytes.position(PAGE_ENTRIES * Long.BYTES);
        bytes.asDoubleBuffer().get(page.scores);
        return page;
    }

    /**
     * Reads or writes a whole page at {@code position}. A thread interrupted in a file channel's call closes the
     * channel for good, and the file with it (it is unlinked): the interrupt is held back until the call returns.
     */
    private static void transfer(FileChannel channel, ByteBuffer bytes, long position, boolean write) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            bytes.clear();
            while (bytes.hasRemaining()) {
                int n = write ? channel.write(bytes, position + bytes.position())
                        : channel.read(bytes, position + bytes.position());
                if (n < 0) {
                    throw new IOException("scratch file ends before the page at " + position);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ByteBuffer buffer() {
        if (buffer == null) {
            buffer = ByteBuffer.allocate(PAGE_BYTES);
        }
        buffer.clear();
        return buffer;
    }

    /**
     * The scratch file's channel, created at the first spill; null if it cannot be created, when the pages
     * stay on the heap as before paging (the run's memory then grows by 16 bytes a proposal again).
     */
    private FileChannel channel() {
        if (scratch == null && !noScratch) {
            try {
                scratch = Scratch.create();
                // no one closes a reader: its channel closes when the links become unreachable
                CLEANER.register(this, scratch);
            } catch (IOException | RuntimeException e) {
                noScratch = true;
            }
        }
        return scratch == null ? null : scratch.channel;
    }

    private static long key(int island, int index) {
        return ((long) island << 32) | index;
    }

    private static int keyIsland(long key) {
        return (int) (key >>> 32);
    }

    private static int keyIndex(long key) {
        return (int) key;
    }

    /** An island's pages: its newest on the heap, by index modulo {@link #NEWEST_PAGES}; where older ones are on file. */
    private static final class IslandPages {
        final Page[] newest = new Page[NEWEST_PAGES];
        int newestIndex = -1;
        /** Per page index, its position in the scratch file, or {@link #NOT_ON_FILE}. */
        long[] positions = new long[0];
        /** Highest sequence written + 1. */
        long size;
    }

    private static final class Page {
        final long key;
        final long[] parents = new long[PAGE_ENTRIES];
        final double[] scores = new double[PAGE_ENTRIES];
        /** Changed since it was last written to the scratch file (or never written). */
        boolean dirty = true;

        Page(long key) {
            this.key = key;
            Arrays.fill(scores, Double.NaN);
        }
    }

    /** The scratch file, unlinked once open: the channel is all that holds it. Closing it is the cleaning. */
    private record Scratch(FileChannel channel) implements Runnable {

        static Scratch create() throws IOException {
            Path file = Files.createTempFile("galapagos-links-", ".pages");
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    // a system that will not delete an open file: it goes when the channel closes
                    channel.close();
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            StandardOpenOption.DELETE_ON_CLOSE);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return new Scratch(channel);
        }

        @Override
        public void run() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: the file is unlinked already
            }
        }
    }
}
