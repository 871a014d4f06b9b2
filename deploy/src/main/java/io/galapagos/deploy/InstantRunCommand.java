package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import io.galapagos.deploy.bench.InstantGenerator;
import io.galapagos.deploy.engine.NodeParts;
import io.galapagos.worker.sandbox.SandboxSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code galapagos bench instant run|resume}: {@code run} and {@code resume} as they are (embedded node, journal,
 * run entity, islands, dispatcher, history reader, output files), with the instant generator and evaluator in
 * place of the offline engine and the sandbox, so that {@code bench soak --engine-only} reaches in minutes the
 * evaluation counts real tasks reach in days. Started by the soak in its child JVM; hidden from the help.
 */
@Command(name = "instant", hidden = true, mixinStandardHelpOptions = true,
        description = "run or resume a no-op run with instant proposals and evaluations (the engine alone)",
        subcommands = {RunCommand.class, ResumeCommand.class})
public final class InstantRunCommand implements Runnable {

    /** Proposals and evaluations that cost nothing: slots as the worker's ({@code galapagos.worker.slots}). */
    static final NodeParts INSTANT = new NodeParts(config -> new InstantEvaluator(SandboxSettings.workerSlots(config)),
            config -> (settings, islandNo, spent) -> new InstantGenerator());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing run or resume");
    }

    /**
     * What a {@code run} or {@code resume} under {@code parent} evaluates and proposes with: the instant parts
     * under this command, which only an embedded node takes (a cluster's workers evaluate with their own).
     */
    static NodeParts partsUnder(Object parent, boolean cluster) {
        if (!(parent instanceof InstantRunCommand)) {
            return NodeParts.standard();
        }
        if (cluster) {
            throw new IllegalArgumentException("--cluster: instant runs are embedded only");
        }
        return INSTANT;
    }
}
