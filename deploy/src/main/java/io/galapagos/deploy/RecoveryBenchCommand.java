package io.galapagos.deploy;

import io.galapagos.controller.store.Schema;
import io.galapagos.deploy.bench.RecoveryBenchmark;
import org.h2.tools.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code galapagos bench recovery}: seconds from a SIGKILL of a worker node, and of the controller node
 * that hosts the dispatcher, to the requeue of the lost work and to throughput back at the pre-kill
 * rate, on a local cluster of {@code galapagos node} processes.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "Seconds from killing a worker, and a controller, to requeued work and to recovered throughput.")
public final class RecoveryBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--db-url", description = "journal of the cluster; default: an H2 TCP server this command starts")
    private Optional<String> dbUrl = Optional.empty();

    @Option(names = "--db-user", defaultValue = "sa", description = "database user. Default: ${DEFAULT-VALUE}.")
    private String dbUser;

    @Option(names = "--config", description = "HOCON file every node reads (e.g. failure detector and resolver timings)")
    private Optional<Path> nodeConfig = Optional.empty();

    @Option(names = "--victim", defaultValue = "worker,controller", split = ",",
            description = "which kills to measure: worker, controller. Default: ${DEFAULT-VALUE}.")
    private List<String> victims;

    @Option(names = "--workers", defaultValue = "2", description = "worker nodes; with one, a killed worker is replaced by a new one at once. Default: ${DEFAULT-VALUE}.")
    private int workers;

    @Option(names = "--slots", defaultValue = "2", description = "sandbox slots per worker. Default: ${DEFAULT-VALUE}.")
    private int slots;

    @Option(names = "--islands", defaultValue = "4", description = "islands of the run. Default: ${DEFAULT-VALUE}.")
    private int islands;

    @Option(names = "--in-flight", defaultValue = "2", description = "candidates in flight per island. Default: ${DEFAULT-VALUE}.")
    private int inFlight;

    @Option(names = "--warmup", defaultValue = "30", description = "seconds of the run before the kill. Default: ${DEFAULT-VALUE}.")
    private int warmupSeconds;

    @Option(names = "--duration", defaultValue = "90", description = "seconds of the whole run. Default: ${DEFAULT-VALUE}.")
    private int durationSeconds;

    @Option(names = "--logs", description = "where the nodes' output goes; default: a temporary directory")
    private Optional<Path> logs = Optional.empty();

    @Override
    public Integer call() throws Exception {
        List<RecoveryBenchmark.Victim> chosen = new ArrayList<>();
        for (String victim : victims) {
            try {
                chosen.add(RecoveryBenchmark.Victim.valueOf(victim.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return usage("unknown victim '" + victim + "' (worker, controller)");
            }
        }
        if (workers < 1 || slots < 1 || islands < 1 || inFlight < 1 || warmupSeconds < RecoveryBenchmark.BEFORE.toSeconds()
                || durationSeconds < warmupSeconds + 2 * RecoveryBenchmark.WINDOW.toSeconds()) {
            return usage("needs positive counts, --warmup >= " + RecoveryBenchmark.BEFORE.toSeconds()
                    + " and --duration well beyond --warmup");
        }
        if (nodeConfig.isPresent() && !Files.isRegularFile(nodeConfig.get())) {
            return usage("config file " + nodeConfig.get() + " does not exist");
        }
        PrintStream console = new PrintStream(System.out, true);
        Path logDirectory = logs.orElse(Files.createTempDirectory("galapagos-bench-recovery")).toAbsolutePath();
        List<RecoveryBenchmark.Result> results = new ArrayList<>();
        Server h2 = null;
        try {
            String url;
            if (dbUrl.isPresent()) {
                url = dbUrl.get();
            } else {
                h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                        logDirectory.resolve("journal").toString()).start();
                url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/galapagos;DATABASE_TO_UPPER=false";
            }
            Schema.install(url, dbUser, "");
            RecoveryBenchmark benchmark = new RecoveryBenchmark(new RecoveryBenchmark.Setup(url, dbUser, nodeConfig,
                    workers, slots, islands, inFlight, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds),
                    logDirectory), line -> console.println(line));
            long stamp = System.currentTimeMillis();
            for (RecoveryBenchmark.Victim victim : chosen) {
                results.add(benchmark.measure(victim, "bench-recovery-" + victim.name().toLowerCase(Locale.ROOT) + "-" + stamp));
            }
        } finally {
            if (h2 != null) {
                h2.stop();
            }
        }
        console.println();
        console.printf(Locale.ROOT, "%-16s %12s %14s %12s %16s %12s %10s%n", "kill", "rate before", "requeued after",
                "islands back", "throughput back", "lowest rate", "evaluated");
        for (RecoveryBenchmark.Result r : results) {
            console.printf(Locale.ROOT, "%-16s %8.1f /s %14s %12s %16s %9.1f /s %10d%s%n",
                    r.victim().name().toLowerCase(Locale.ROOT) + " node", r.preKillRate(), seconds(r.requeuedAfter()),
                    seconds(r.islandsBackAfter()), seconds(r.recoveredAfter()), r.lowestRate(), r.evaluated(),
                    r.note().isEmpty() ? "" : "  (" + r.note() + ")");
        }
        console.printf(Locale.ROOT, "%nrates: evaluations/s from the journal, over %d s before the kill and %d s windows"
                        + " after it; islands back: every island has had a candidate evaluated since the kill;"
                        + " throughput back: the first window after the kill at %.0f%% of the rate before it;"
                        + " node output in %s%n", RecoveryBenchmark.BEFORE.toSeconds(), RecoveryBenchmark.WINDOW.toSeconds(),
                RecoveryBenchmark.RECOVERED * 100, logDirectory);
        return 0;
    }

    private static String seconds(Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, "%.1f s", v)).orElse("-");
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos bench recovery: " + message);
        return Galapagos.EXIT_USAGE;
    }
}
