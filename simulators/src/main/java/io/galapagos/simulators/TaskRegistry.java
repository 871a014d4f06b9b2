package io.galapagos.simulators;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** All tasks on the class path, found through {@link ServiceLoader}, in id order. */
public final class TaskRegistry {

    private final Map<String, Task<?>> tasks;

    private TaskRegistry(Map<String, Task<?>> tasks) {
        this.tasks = Collections.unmodifiableMap(tasks);
    }

    /** Tasks visible to the class loader of this class (and the context class loader). */
    public static TaskRegistry load() {
        return load(TaskRegistry.class.getClassLoader());
    }

    @SuppressWarnings("rawtypes")
    public static TaskRegistry load(ClassLoader loader) {
        Map<String, Task<?>> found = new java.util.TreeMap<>();
        for (Task task : ServiceLoader.load(Task.class, loader)) {
            Task<?> previous = found.putIfAbsent(task.id(), task);
            if (previous != null && previous.getClass() != task.getClass()) {
                throw new IllegalStateException("two tasks share the id '" + task.id() + "': "
                        + previous.getClass().getName() + " and " + task.getClass().getName());
            }
        }
        return new TaskRegistry(new LinkedHashMap<>(found));
    }

    public List<Task<?>> all() {
        return List.copyOf(tasks.values());
    }

    public Optional<Task<?>> find(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** The task with this id, or an exception whose message lists the known ids. */
    public Task<?> require(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown task '" + id + "' (known: " + tasks.keySet().stream().collect(Collectors.joining(", ")) + ")"));
    }
}
