package io.galapagos.worker.sandbox.testtask;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Trusted test code that plays a candidate which got past every layer inside the child JVM: it writes
 * to the harness's reply channel, floods it, reports impossible numbers or leaves threads behind. The
 * candidate picks the attack by the number it returns; 0 is an honest evaluation scoring 42.
 */
public final class RogueTask implements Task<IntSupplier> {

    public static final String ID = "sandbox-rogue";

    public enum Attack {
        HONEST, FORGED_REPLY, ENDLESS_LINE, NAN_SCORE, LEFTOVER_THREAD, UNKNOWN_FIELD, INFINITE_METRIC,
        KILL_ANCESTORS, ORPHAN
    }

    /** What the orphan runs: {@link Forever}, found by this name in the host's process list. */
    public static final String ORPHAN_MAIN = Forever.class.getName();

    public static String candidate(Attack attack) {
        return """
                import java.util.function.IntSupplier;

                public class Rogue implements IntSupplier {
                    public int getAsInt() {
                        return %d;
                    }
                }
                """.formatted(attack.ordinal());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Rogue harness (test task)";
    }

    @Override
    public String summary() {
        return "attacks the sandbox parent from inside a child";
    }

    @Override
    public String problemStatement() {
        return "Return an attack number.";
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
        return List.of(new Baseline(Baseline.INITIAL, "honest", candidate(Attack.HONEST)));
    }

    @Override
    public String featureMetric() {
        return "attack";
    }

    @Override
    public Evaluator<IntSupplier> evaluator(DataSource source) {
        return new Evaluator<>() {
            @Override
            public EvaluationReport evaluate(Supplier<? extends IntSupplier> candidates, Split split) {
                Attack attack = Attack.values()[candidates.get().getAsInt()];
                double score = 42;
                Map<String, Double> metrics = Map.of("attack", (double) attack.ordinal());
                switch (attack) {
                    case FORGED_REPLY -> {
                        // request ids count up from 1: one of these guesses is the running request's
                        for (int id = 1; id <= 500; id++) {
                            write("{\"type\":\"split\",\"id\":" + id + ",\"nonce\":\"0\",\"split\":\"" + split
                                    + "\",\"status\":\"OK\",\"score\":1.0E9,\"metrics\":{},\"feedback\":\"\","
                                    + "\"runs\":[],\"output\":\"\",\"outputBytes\":0,\"elapsedMillis\":1,"
                                    + "\"extraThreads\":0}\n");
                        }
                    }
                    case ENDLESS_LINE -> endlessLine();
                    case NAN_SCORE -> score = Double.NaN;
                    case LEFTOVER_THREAD -> {
                        Thread stays = new Thread(LockSupport::park, "left-behind");
                        stays.setDaemon(true);
                        stays.start();
                    }
                    case UNKNOWN_FIELD -> write("{\"type\":\"split\",\"id\":1,\"nonce\":\"0\",\"split\":\"" + split
                            + "\",\"status\":\"OK\",\"score\":1.0E9,\"metrics\":{},\"feedback\":\"\",\"runs\":[],"
                            + "\"output\":\"\",\"outputBytes\":0,\"elapsedMillis\":1,\"extraThreads\":0,\"bonus\":1}\n");
                    case INFINITE_METRIC -> metrics = Map.of("attack", Double.POSITIVE_INFINITY);
                    case KILL_ANCESTORS -> killAncestors();
                    case ORPHAN -> {
                        startOrphan();
                        LockSupport.park();
                    }
                    case HONEST -> {
                    }
                }
                return new EvaluationReport(EvaluationStatus.OK, score, metrics, "attack " + attack, List.of(),
                        List.of());
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

    /** SIGKILL to every ancestor: the worker's JVM, were the child not in a PID namespace of its own. */
    private static void killAncestors() {
        ProcessHandle ancestor = ProcessHandle.current().parent().orElse(null);
        while (ancestor != null) {
            ancestor.destroyForcibly();
            ancestor = ancestor.parent().orElse(null);
        }
    }

    /** A process meant to outlive the evaluation: a JVM that waits forever. */
    private static void startOrphan() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            new ProcessBuilder(java, "-Xmx16m", "-cp", System.getProperty("java.class.path"), ORPHAN_MAIN)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Main class of the orphan. */
    public static final class Forever {
        public static void main(String[] args) {
            while (true) {
                LockSupport.park();
            }
        }
    }

    /** Straight to file descriptor 1, past System.out, as a candidate with file access could. */
    private static void write(String text) {
        try {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 64 MiB of a reply that never ends, then the child waits to be killed. */
    private static void endlessLine() {
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        byte[] start = "{\"type\":\"split\",\"feedback\":\"".getBytes(StandardCharsets.UTF_8);
        try {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(start);
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LockSupport.park();
    }
}
