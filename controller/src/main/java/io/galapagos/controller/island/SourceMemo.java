package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The last results of a pure function of a program's exact text, such as its fingerprint: an island
 * checks every proposal against the programs shown with it, and those are the same few programs (the
 * parent, the inspirations, the top programs) proposal after proposal, each of which would be parsed
 * again. Bounded, least recently used first out; shared by the islands of a node. The function runs
 * outside the lock, so two threads may compute one entry at once; both get the same value.
 */
final class SourceMemo<V> {

    private record Key(SourceLanguage language, String code) {
    }

    private final BiFunction<String, SourceLanguage, V> function;
    private final Map<Key, V> entries;

    SourceMemo(int capacity, BiFunction<String, SourceLanguage, V> function) {
        this.function = function;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(String code, SourceLanguage language) {
        Key key = new Key(language, code);
        synchronized (entries) {
            V known = entries.get(key);
            if (known != null) {
                return known;
            }
        }
        V value = function.apply(code, language);
        synchronized (entries) {
            entries.put(key, value);
        }
        return value;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
