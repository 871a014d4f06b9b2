package io.galapagos.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The class-data archive (AppCDS) of a short {@code galapagos run}, made when the application is packaged:
 * the launcher maps it when it starts a run or a resume, so the run's JVM finds Pekko's, H2's, Jackson's and
 * the engine's classes already parsed and verified. It is written by a short run of the
 * no-op task with the same options, whose classes are the default run's but for the task's own. A failure
 * leaves the application working, only slower to start a run, so it is reported and the build goes on.
 */
public final class RunClassDataArchive {

    /** The archive's name in the folder that holds {@code galapagos.jar}. */
    public static final String FILE_NAME = "galapagos-run.jsa";
    /** The JVM options of a short run, which the launcher also starts such a run with. */
    public static final List<String> SHORT_RUN_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final long DUMP_TIMEOUT_SECONDS = 180;

    private RunClassDataArchive() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: RunClassDataArchive <folder that holds galapagos.jar>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]).toAbsolutePath().normalize();
        Path archive = folder.resolve(FILE_NAME);
        Files.deleteIfExists(archive);
        Path work = Files.createTempDirectory("galapagos-run-cds-");
        Path written = work.resolve(FILE_NAME);
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + written, "-Xlog:cds=off,cds+dynamic=off"));
        command.addAll(SHORT_RUN_OPTIONS);
        command.addAll(List.of("-jar", folder.resolve("galapagos.jar").toString(), "run", "--task", "noop",
                "--iterations", "16", "--islands", "2", "--no-http", "--out", work.resolve("run").toString()));
        Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(work.resolve("err.txt").toFile())
                .start();
        boolean ended = process.waitFor(DUMP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        if (ended && process.exitValue() == 0 && Files.isRegularFile(written)) {
            // moved in whole, so that a launcher never maps half of it
            Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING);
        } else {
            String why = !ended ? "no end after " + DUMP_TIMEOUT_SECONDS + " s"
                    : "exit " + process.exitValue() + ": " + lastLine(work.resolve("err.txt"));
            System.err.println("galapagos: no class-data archive for runs (" + why + "); runs will start without it");
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "nothing on its error output" : lines.get(lines.size() - 1);
    }
}
