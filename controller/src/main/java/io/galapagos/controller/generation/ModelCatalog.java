package io.galapagos.controller.generation;

import io.galapagos.simulators.Resources;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Shipped list prices (USD per million tokens) of common models, from {@code model-prices.tsv}.
 * Lookup takes the exact name, then the name after a provider prefix ({@code openai/gpt-4o}), then the
 * longest known prefix ({@code gpt-4o-2024-08-06} is priced as {@code gpt-4o}).
 */
public final class ModelCatalog {

    /** One priced model. */
    public record Entry(String name, double inputUsdPerMillion, double outputUsdPerMillion, boolean reasoning) {
    }

    private static final ModelCatalog SHIPPED = parse(Resources.text(ModelCatalog.class, "model-prices.tsv"));

    private final Map<String, Entry> entries;

    private ModelCatalog(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static ModelCatalog shipped() {
        return SHIPPED;
    }

    static ModelCatalog parse(String tsv) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : tsv.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\\s+");
            if (f.length != 4) {
                throw new IllegalStateException("bad model price line (name input output reasoning): " + line);
            }
            entries.put(f[0], new Entry(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Boolean.parseBoolean(f[3])));
        }
        return new ModelCatalog(entries);
    }

    public Optional<Entry> lookup(String model) {
        String name = model.strip();
        if (entries.containsKey(name)) {
            return Optional.of(entries.get(name));
        }
        String bare = name.substring(name.lastIndexOf('/') + 1);
        if (entries.containsKey(bare)) {
            return Optional.of(entries.get(bare));
        }
        return entries.values().stream().filter(e -> bare.startsWith(e.name() + "-"))
                .max(Comparator.comparingInt(e -> e.name().length()));
    }
}
