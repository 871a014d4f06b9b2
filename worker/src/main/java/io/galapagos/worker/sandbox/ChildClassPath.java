package io.galapagos.worker.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The class path of a sandbox child: where the harness, the tasks, the protocol, Jackson (the protocol's
 * and the workload files' format) and ASM come from, and nothing else of the worker's class path (no
 * Scala, Pekko, H2, config or logging libraries a candidate could reach).
 */
final class ChildClassPath {

    private static final String ASM = "org.objectweb.asm.ClassReader";

    private ChildClassPath() {
    }

    /** The entries, absolute, in a stable order; computed once per JVM. */
    static List<Path> entries() {
        return Holder.ENTRIES;
    }

    private static final class Holder {
        static final List<Path> ENTRIES = compute(TaskRegistry.load());
    }

    static List<Path> compute(TaskRegistry tasks) {
        Set<Path> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(SandboxChild.class, Task.class, EvaluationStatus.class, JsonFactory.class,
                ObjectMapper.class, JsonProperty.class)) {
            entries.add(codeSource(type));
        }
        asm().ifPresent(entries::add);
        for (Task<?> task : tasks.all()) {
            entries.add(codeSource(task.getClass()));
        }
        return List.copyOf(entries);
    }

    private static Optional<Path> asm() {
        try {
            return Optional.of(codeSource(Class.forName(ASM, false, ChildClassPath.class.getClassLoader())));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Path codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException(type.getName() + " was not loaded from a file: the sandbox child cannot load it");
        }
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(type.getName() + " was loaded from " + source.getLocation()
                    + ", not a file: the sandbox child cannot load it", e);
        }
    }
}
