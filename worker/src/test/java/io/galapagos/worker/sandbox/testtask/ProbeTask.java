package io.galapagos.worker.sandbox.testtask;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Trusted test code that runs where candidates run (inside a sandbox child) and reports what it sees
 * there: the environment, the temporary directory, which JVM it is, whether it can reach a port on
 * the parent's loopback (the candidate supplies the port number), and the data directory's files.
 */
public final class ProbeTask implements Task<IntSupplier> {

    public static final String ID = "sandbox-probe";

    /** Tells one child JVM from the next (inside a PID namespace every child has the same pid). */
    private static final String JVM = UUID.randomUUID().toString();

    public static String candidateReturning(int port) {
        return """
                import java.util.function.IntSupplier;

                public class Port implements IntSupplier {
                    public int getAsInt() {
                        return %d;
                    }
                }
                """.formatted(port);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Sandbox probe (test task)";
    }

    @Override
    public String summary() {
        return "reports what code inside a sandbox child can see";
    }

    @Override
    public String problemStatement() {
        return "Return a port number.";
    }

    @Override
    public String candidateApi() {
        return "java.util.function.IntSupplier";
    }

    @Override
    public Class<IntSupplier> candidateType() {
        return IntSupplier.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL, "port 9", candidateReturning(9)));
    }

    @Override
    public String featureMetric() {
        return "port";
    }

    @Override
    public Evaluator<IntSupplier> evaluator(DataSource source) {
        return new Evaluator<>() {
            @Override
            public EvaluationReport evaluate(Supplier<? extends IntSupplier> candidates, Split split) {
                int port = candidates.get().getAsInt();
                Map<String, Object> seen = new LinkedHashMap<>();
                seen.put("jvm", JVM);
                seen.put("environment", List.copyOf(new TreeSet<>(System.getenv().keySet())));
                seen.put("tmpdir", System.getProperty("java.io.tmpdir"));
                seen.put("workingDirectory", System.getProperty("user.dir"));
                seen.put("network", connect(port));
                if (source instanceof DataSource.Directory directory) {
                    seen.put("data", list(directory.root()));
                    seen.put("dataWrite", write(directory.root().resolve("escaped")));
                }
                return new EvaluationReport(EvaluationStatus.OK, 0, Map.of("port", (double) port), "probed",
                        List.of(), List.of(seen));
            }

            @Override
            public int runCount(Split split) {
                return 1;
            }

            @Override
            public DataSource dataSource() {
                return source;
            }
        };
    }

    private static String list(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return String.join(",", files.map(p -> p.getFileName().toString()).sorted().toList());
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static String write(Path file) {
        try {
            Files.writeString(file, "x");
            return "written";
        } catch (IOException e) {
            return "failed";
        }
    }

    private static String connect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return "connected";
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }
}
