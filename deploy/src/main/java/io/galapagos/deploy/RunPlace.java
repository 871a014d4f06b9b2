package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.report.RunHistory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** Where the runs a reading command looks at are: a run folder on this machine, or a cluster's database. */
public final class RunPlace {

    @Option(names = "--out", description = "output directory of a run on this machine")
    Optional<Path> out = Optional.empty();

    @CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--config", description = "with --cluster: HOCON file with the cluster's settings")
    Optional<Path> configFile = Optional.empty();

    boolean isCluster() {
        return cluster.active();
    }

    /**
     * The run folder, absolute.
     *
     * @throws IllegalArgumentException in one line when it is missing or cluster flags are given with it
     */
    Path folder(String missing) {
        cluster.checkEmbedded();
        if (out.isEmpty() || configFile.isPresent()) {
            throw new IllegalArgumentException(out.isEmpty() ? missing : "--config needs --cluster");
        }
        return out.get().toAbsolutePath().normalize();
    }

    /** The client configuration naming the cluster's database; refuses {@code --out} next to {@code --cluster}. */
    Config clusterConfig() {
        if (out.isPresent()) {
            throw new IllegalArgumentException("--out and --cluster both say where the runs are: give one");
        }
        return cluster.clientConfig(configFile);
    }

    /** The run id {@code --run-id} names, checked. */
    Optional<String> runId() {
        return cluster.optionalRunId();
    }

    /**
     * The history of the folder's run, read-only when no process holds it.
     *
     * @throws IllegalArgumentException in one line when the journal cannot be read
     */
    static RunHistory folderHistory(Path outDir) {
        try {
            return ResumeCommand.showHistory(outDir);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(outDir + " holds a journal that cannot be read (" + e.getMessage() + ")");
        }
    }
}
