package io.galapagos.deploy.bench;

import io.galapagos.deploy.Galapagos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code galapagos} command as a child JVM of a benchmark, and its end by SIGKILL. */
final class GalapagosProcess {

    private GalapagosProcess() {
    }

    /** {@code java [jvmOptions] -cp <this class path> Galapagos [arguments]}, with this JVM's java executable. */
    static List<String> command(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Galapagos.class.getName()));
        command.addAll(arguments);
        return command;
    }

    /** SIGKILL to the process and to every process it started (its sandbox's child JVMs); waits for its end. */
    static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
