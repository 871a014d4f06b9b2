package io.galapagos.simulators;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The published ADRS workloads for the fidelity tests, and for the tests of worker and deploy (test-jar). Surefire passes their location as the system property
 * {@code galapagos.adrs-data} ({@code ../shared/adrs-data}, or {@code -Dadrs.data.dir=DIR}) and, as a fallback,
 * {@code galapagos.adrs-data.imported} ({@code data/adrs} of the checkout, where {@code galapagos data import}
 * writes). Without the data a test skips with a loud message locally and fails under CI ({@code CI} set).
 */
public final class AdrsData {

    /** How a stranger gets the data; every skip and failure names it. */
    public static final String IMPORT_COMMAND =
            "git clone https://github.com/lynnliu030/ADRS ../ADRS && ./galapagos data import --from ../ADRS";

    private AdrsData() {
    }

    public static Path root() {
        List<Path> looked = new ArrayList<>();
        for (String property : List.of("galapagos.adrs-data", "galapagos.adrs-data.imported")) {
            String configured = System.getProperty(property);
            if (configured == null || configured.isBlank()) {
                continue;
            }
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(root)) {
                return root;
            }
            looked.add(root);
        }
        if (looked.isEmpty()) {
            throw new IllegalStateException("system property galapagos.adrs-data is not set; run the tests through Maven");
        }
        return unavailable("the published ADRS data is missing (looked at " + looked + ")");
    }

    /** A task's folder of the published data, e.g. {@code cant-be-late}. */
    public static Path task(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            return unavailable("the published ADRS data has no folder " + dir);
        }
        return dir;
    }

    /**
     * One file of a task's folder. The golden numbers measured with the original evaluators are not in the public
     * repository, so an imported data directory lacks them: the tests that compare against them skip (or fail
     * under CI) rather than break with a missing file.
     */
    public static Path file(String task, String name) {
        Path file = task(task).resolve(name);
        if (!Files.isRegularFile(file)) {
            return unavailable("the published ADRS data has no " + file, "it is not in the public repository (golden "
                    + "numbers measured by running the original evaluators; see README, Published data)", underCi());
        }
        return file;
    }

    public static DataSource source() {
        return DataSource.directory(root());
    }

    /** True when the tests run under CI, where missing data must fail rather than skip. */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    private static <T> T unavailable(String problem) {
        return unavailable(problem, "get it with: " + IMPORT_COMMAND, underCi());
    }

    /** Under CI a failure, locally a skip (JUnit's abort) with the same message on stderr. */
    static <T> T unavailable(String problem, String remedy, boolean ci) {
        String message = problem + "; " + remedy;
        if (ci) {
            throw new IllegalStateException(message + " (CI is set: tests that need the published data fail without it)");
        }
        System.err.println("SKIPPED, NO PUBLISHED DATA: " + message);
        System.err.flush();
        return Assumptions.abort(message);
    }
}
