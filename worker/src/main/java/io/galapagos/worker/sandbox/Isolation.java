package io.galapagos.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How child JVMs are isolated beyond what the JVM itself enforces: a private network namespace via
 * {@code unshare -rn} where it works (probed once by running it), otherwise nothing, said plainly.
 *
 * @param prefix      the words put before the java command, e.g. {@code [/usr/bin/unshare, -rn]}
 * @param description what {@link SandboxPool#isolation()} reports
 */
record Isolation(List<String> prefix, String description) {

    static final String UNSHARE_NET = "unshare-net";

    Isolation {
        prefix = List.copyOf(prefix);
    }

    static Isolation none(String why) {
        return new Isolation(List.of(), "none (" + why + ")");
    }

    /** Tries {@code unshare -rn java -version}; any failure means no network isolation, with the reason. */
    static Isolation probe(boolean wanted, String java) {
        if (!wanted) {
            return none("network isolation disabled in the settings");
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return none("unshare unavailable: not Linux");
        }
        Optional<Path> unshare = Optional.<Path>empty();
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "unshare");
            if (Files.isExecutable(candidate)) {
                unshare = Optional.of(candidate);
                break;
            }
        }
        if (unshare.isEmpty()) {
            return none("unshare unavailable: no unshare executable");
        }
        List<String> command = new ArrayList<>(List.of(unshare.get().toString(), "-rn", java, "-version"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return none("unshare unavailable: the probe did not finish");
            }
            if (process.exitValue() != 0) {
                String first = new String(output).lines().findFirst().orElse("exit code " + process.exitValue());
                return none("unshare unavailable: " + first.strip());
            }
            return new Isolation(List.of(unshare.get().toString(), "-rn"), UNSHARE_NET);
        } catch (IOException e) {
            return none("unshare unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none("unshare unavailable: probe interrupted");
        }
    }
}
