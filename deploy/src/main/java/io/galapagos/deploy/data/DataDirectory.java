package io.galapagos.deploy.data;

import io.galapagos.deploy.data.AdrsManifest.Entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Lays out a data directory from a checkout of the public ADRS repository, or checks one, against the manifest. */
public final class DataDirectory {

    /** What happened to one file of the manifest. */
    public enum Status {
        /** present with the manifest's SHA-256 (imported now, or already there) */
        VERIFIED,
        /** a published file that the checkout (import) or the directory (verify) does not have */
        MISSING,
        /** present, but its SHA-256 differs from the manifest's; an import does not write it */
        MISMATCHED,
        /** not in the public repository and not in the directory: the tests that need it skip or fail */
        UNPUBLISHED
    }

    /** One file's outcome, with a note for the user (where it was looked for, what hash was found). */
    public record FileOutcome(Entry entry, Status status, String note) {
    }

    /** The outcomes of one task folder. */
    public record TaskOutcome(String task, List<FileOutcome> files) {

        public List<FileOutcome> with(Status status) {
            return files.stream().filter(f -> f.status() == status).toList();
        }

        /** One line: counts, then the files the public repository does not have and who needs them. */
        public String summary(String verb) {
            StringBuilder line = new StringBuilder(task).append(": ").append(with(Status.VERIFIED).size())
                    .append(' ').append(verb).append(", ").append(with(Status.MISSING).size()).append(" missing, ")
                    .append(with(Status.MISMATCHED).size()).append(" mismatched");
            List<FileOutcome> unpublished = with(Status.UNPUBLISHED);
            if (!unpublished.isEmpty()) {
                line.append("; not in the public repository: ");
                for (int i = 0; i < unpublished.size(); i++) {
                    FileOutcome f = unpublished.get(i);
                    line.append(i == 0 ? "" : "; ").append(f.entry().name()).append(" (").append(f.note()).append(')');
                }
            }
            return line.toString();
        }
    }

    /** Every task's outcome; complete when no published file is missing or mismatched. */
    public record Outcome(List<TaskOutcome> tasks) {

        public boolean complete() {
            return tasks.stream().allMatch(t -> t.with(Status.MISSING).isEmpty() && t.with(Status.MISMATCHED).isEmpty());
        }

        public long count(Status status) {
            return tasks.stream().mapToLong(t -> t.with(status).size()).sum();
        }
    }

    private DataDirectory() {
    }

    /** The marker of an ADRS checkout: the case studies' example folder. */
    public static boolean isCheckout(Path dir) {
        return Files.isDirectory(dir.resolve(AdrsManifest.ADRS));
    }

    /**
     * Copies (or derives) every published file of the manifest from {@code checkout} into {@code target}, verifying
     * each SHA-256 before it is written; derived files come last because they read imported ones.
     */
    public static Outcome importFrom(AdrsManifest manifest, Path checkout, Path target) throws IOException {
        Files.createDirectories(target);
        TarballSources archives = new TarballSources(checkout);
        Set<String> wantedFromArchives = new HashSet<>();
        for (Entry e : manifest.entries()) {
            if (e.origin() instanceof Origin.Copy copy) {
                copy.sources().forEach(s -> archives.locate(s).ifPresent(w -> wantedFromArchives.add(w[1])));
            }
        }
        Map<String, List<Entry>> byTask = manifest.byTask();
        List<TaskOutcome> tasks = new ArrayList<>();
        java.util.Map<Entry, FileOutcome> outcomes = new java.util.HashMap<>();
        for (Entry e : manifest.entries()) {
            if (!(e.origin() instanceof Origin.Derived)) {
                outcomes.put(e, importOne(e, checkout, target, archives, wantedFromArchives));
            }
        }
        for (Entry e : manifest.entries()) {
            if (e.origin() instanceof Origin.Derived derived) {
                Derivations.Result result = Derivations.derive(derived.rule(), target);
                outcomes.put(e, result.bytes().isPresent()
                        ? write(e, result.bytes().get(), target, "derived")
                        : new FileOutcome(e, Status.MISSING, result.problem()));
            }
        }
        byTask.forEach((task, entries) -> tasks.add(new TaskOutcome(task, entries.stream().map(outcomes::get).toList())));
        return new Outcome(tasks);
    }

    /** Checks {@code dir} against the manifest without changing it. */
    public static Outcome verify(AdrsManifest manifest, Path dir) throws IOException {
        List<TaskOutcome> tasks = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> task : manifest.byTask().entrySet()) {
            List<FileOutcome> files = new ArrayList<>();
            for (Entry e : task.getValue()) {
                files.add(check(e, dir));
            }
            tasks.add(new TaskOutcome(task.getKey(), files));
        }
        return new Outcome(tasks);
    }

    private static FileOutcome check(Entry e, Path dir) throws IOException {
        Path file = dir.resolve(e.target());
        if (!Files.isRegularFile(file)) {
            return e.origin() instanceof Origin.Unpublished u
                    ? new FileOutcome(e, Status.UNPUBLISHED, u.why())
                    : new FileOutcome(e, Status.MISSING, "no file " + file);
        }
        String sha = AdrsManifest.sha256(Files.readAllBytes(file));
        return sha.equals(e.sha256())
                ? new FileOutcome(e, Status.VERIFIED, "")
                : new FileOutcome(e, Status.MISMATCHED, "SHA-256 " + sha + ", expected " + e.sha256());
    }

    private static FileOutcome importOne(Entry e, Path checkout, Path target, TarballSources archives,
                                         Set<String> wanted) throws IOException {
        if (e.origin() instanceof Origin.Copy copy) {
            for (String source : copy.sources()) {
                Path file = checkout.resolve(source);
                if (Files.isRegularFile(file)) {
                    return write(e, Files.readAllBytes(file), target, source);
                }
            }
            for (String source : copy.sources()) {
                Optional<byte[]> packed = archives.bytes(source, wanted);
                if (packed.isPresent()) {
                    return write(e, packed.get(), target, source + " (from " + TarballSources.ARCHIVE + ")");
                }
            }
            return new FileOutcome(e, Status.MISSING, "not in the checkout at " + String.join(" or ", copy.sources()));
        }
        if (e.origin() instanceof Origin.Literal literal) {
            Path file = checkout.resolve(literal.source());
            if (!Files.isRegularFile(file)) {
                return new FileOutcome(e, Status.MISSING, "not in the checkout: " + literal.source());
            }
            Optional<String> text = Derivations.literal(Files.readString(file, StandardCharsets.UTF_8), literal.name());
            return text.isPresent()
                    ? write(e, text.get().getBytes(StandardCharsets.UTF_8), target, literal.detail())
                    : new FileOutcome(e, Status.MISSING, "no " + literal.name() + " = {...} in " + literal.source());
        }
        if (e.origin() instanceof Origin.Unpublished unpublished) {
            // a copy the user placed there (e.g. from someone who ran the original evaluators) still counts
            return Files.isRegularFile(target.resolve(e.target()))
                    ? check(e, target)
                    : new FileOutcome(e, Status.UNPUBLISHED, unpublished.why());
        }
        throw new IllegalStateException("derived files are written last: " + e.target());
    }

    /** Writes the bytes if their SHA-256 is the manifest's; a mismatching file is reported and not written. */
    private static FileOutcome write(Entry e, byte[] bytes, Path target, String from) throws IOException {
        String sha = AdrsManifest.sha256(bytes);
        if (!sha.equals(e.sha256())) {
            return new FileOutcome(e, Status.MISMATCHED, from + " has SHA-256 " + sha + ", expected " + e.sha256());
        }
        Path file = target.resolve(e.target());
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, bytes);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new FileOutcome(e, Status.VERIFIED, from);
    }
}
