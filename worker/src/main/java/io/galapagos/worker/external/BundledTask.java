package io.galapagos.worker.external;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task id of a run over a task folder: the folder's id and the hash of its bundle, {@code id@hash}.
 * Built-in task ids never hold {@code @}; the hash names the bundle every worker fetches from the run's
 * database, so two versions of one folder are two tasks.
 */
public final class BundledTask {

    private static final Pattern ID = Pattern.compile("([a-z0-9][a-z0-9-]*)@([0-9a-f]{64})");

    private BundledTask() {
    }

    public static String taskId(String folderId, String bundleHash) {
        String id = folderId + "@" + bundleHash;
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a task folder id and bundle hash: " + id);
        }
        return id;
    }

    /** The bundle hash of a folder task's id; empty for a built-in task. */
    public static Optional<String> bundleHash(String taskId) {
        Matcher matcher = ID.matcher(taskId);
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    /** The folder's own id: what a person reads ({@code scheduling}, not the hash). */
    public static String folderId(String taskId) {
        Matcher matcher = ID.matcher(taskId);
        return matcher.matches() ? matcher.group(1) : taskId;
    }
}
