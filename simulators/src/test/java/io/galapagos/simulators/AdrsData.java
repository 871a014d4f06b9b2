package io.galapagos.simulators;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The published ADRS workloads for fidelity tests. Surefire passes their location as the system
 * property {@code galapagos.adrs-data}; a missing directory fails the test, it never skips it.
 */
public final class AdrsData {

    private AdrsData() {
    }

    public static Path root() {
        String configured = System.getProperty("galapagos.adrs-data");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("system property galapagos.adrs-data is not set; run the tests through Maven");
        }
        Path root = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the published ADRS data is missing at " + root
                    + "; the fidelity tests need ../shared/adrs-data next to the checkout");
        }
        return root;
    }

    /** A task's folder of the published data, e.g. {@code cant-be-late}. */
    public static Path task(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the published ADRS data has no folder " + dir);
        }
        return dir;
    }

    public static DataSource source() {
        return DataSource.directory(root());
    }
}
