package io.galapagos.worker.sandbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The compiler's results by source, most recently used first, at most {@code capacity} of them. An entry
 * is found by the SHA-256 of everything that decides the class files (the compiler's fingerprint, the task
 * and the exact source) and is used only if its stored source equals the one asked about, so that one
 * candidate's class files never stand for another's source.
 */
final class CompileCache {

    /** Where an entry is filed: the digest of the compiler's fingerprint, the task and the source. */
    record Key(String digest) {
    }

    private record Entry(String taskId, String source, Compilation compilation) {
    }

    private final int capacity;
    private final String fingerprint;
    private final Map<Key, Entry> entries;
    private long hits;
    private long misses;

    /**
     * @param fingerprint what else decides the class files: the compiler's options, the JDK, the class
     *                    path's files; a change of it misses every entry made before
     */
    CompileCache(int capacity, String fingerprint) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a compile cache holds at least one entry");
        }
        this.capacity = capacity;
        this.fingerprint = fingerprint;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > CompileCache.this.capacity;
            }
        };
    }

    Key key(String taskId, String source) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        // each part is length-prefixed, so that no two different triples hash the same bytes
        for (String part : new String[]{fingerprint, taskId, source}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            sha.update(bytes);
        }
        return new Key(HexFormat.of().formatHex(sha.digest()));
    }

    /** The kept result for exactly this task and source, if any; counts a hit or a miss. */
    synchronized Optional<Compilation> find(Key key, String taskId, String source) {
        Entry entry = entries.get(key);
        if (entry != null && entry.taskId().equals(taskId) && entry.source().equals(source)) {
            hits++;
            return Optional.of(entry.compilation());
        }
        misses++;
        return Optional.empty();
    }

    /** Keeps what the source alone decides (class files, compiler errors); nothing else. */
    synchronized void keep(Key key, String taskId, String source, Compilation compilation) {
        if (compilation.cacheable()) {
            entries.put(key, new Entry(taskId, source, compilation));
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    synchronized int size() {
        return entries.size();
    }
}
