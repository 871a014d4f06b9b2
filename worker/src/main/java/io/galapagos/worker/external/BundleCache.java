package io.galapagos.worker.external;

import com.typesafe.config.Config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The task bundles this machine has unpacked: {@code <cache>/<hash>/} holds the files of one bundle and,
 * once complete, a marker naming its hash. A bundle is fetched and unpacked on first use only, into a
 * temporary directory that one rename puts in place, so a reader never sees half a bundle.
 */
public final class BundleCache {

    /** The configuration key of the cache directory. */
    public static final String DIRECTORY_KEY = "galapagos.worker.bundle-cache";

    private static final String PARTIAL = ".partial-";
    private static final String STALE = ".stale-";
    private static final String LOCK = ".lock-";
    // One monitor per cache directory and hash in this JVM: file locks exclude other processes only, and
    // a JVM asking twice for the same file lock gets an exception, not a wait.
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path root;

    private BundleCache(Path root) {
        this.root = root;
    }

    /** Opens the cache at {@value #DIRECTORY_KEY}. */
    public static BundleCache fromConfig(Config config) throws IOException {
        return open(Path.of(config.getString(DIRECTORY_KEY)));
    }

    /**
     * Opens the cache at {@code directory}, creating it readable by this user only. An existing directory must
     * belong to this user and be writable by no one else: whoever can write there chooses the evaluator.
     */
    public static BundleCache open(Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        boolean posix = Files.getFileStore(existingAncestor(root)).supportsFileAttributeView(PosixFileAttributeView.class);
        if (!Files.isDirectory(root)) {
            if (posix) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(root);
            }
        }
        Path probe;
        try {
            probe = Files.createTempFile(root, ".owner-", "");
        } catch (IOException e) {
            throw new IOException("bundle cache " + root + " is not writable by this worker; set " + DIRECTORY_KEY
                    + " to a directory of its own", e);
        }
        try {
            UserPrincipal self = Files.getOwner(probe);
            UserPrincipal owner = Files.getOwner(root, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(self)) {
                throw new IOException("bundle cache " + root + " belongs to " + owner.getName() + ", not to this worker's"
                        + " user " + self.getName() + "; set " + DIRECTORY_KEY + " to a directory of its own");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        if (posix) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("bundle cache " + root + " is writable by other users (" + PosixFilePermissions.toString(permissions)
                        + "); make it rwx------ or set " + DIRECTORY_KEY + " to a directory of its own");
            }
        }
        return new BundleCache(root);
    }

    /** The cache directory. */
    public Path root() {
        return root;
    }

    /**
     * The unpacked bundle {@code hash}: {@code <cache>/<hash>/}, fetched with {@code fetch} and unpacked on
     * first use only. Threads and processes that ask for the same hash at once wait for one fetch; a
     * directory left incomplete (no marker) is removed and unpacked again. Besides the bundle's files the
     * directory holds the marker {@code .galapagos-bundle}, a name no bundle may use.
     *
     * @throws TaskBundleException when {@code hash} is no hash or the fetched bytes are not its bundle
     * @throws IOException         when the cache cannot be written
     */
    public Path resolve(String hash, Supplier<byte[]> fetch) throws TaskBundleException, IOException {
        TaskBundle.requireHash(hash);
        Path bundle = root.resolve(hash);
        if (complete(bundle, hash)) {
            return bundle;
        }
        synchronized (MONITORS.computeIfAbsent(bundle, b -> new Object())) {
            try (FileChannel lockFile = FileChannel.open(root.resolve(LOCK + hash), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                if (complete(bundle, hash)) {
                    return bundle;
                }
                // Holding the lock, nobody else is unpacking this hash: whatever is left of it is debris.
                removeDebris(hash);
                if (Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
                    discard(bundle);
                }
                Path partial = Files.createTempDirectory(root, PARTIAL + hash + "-");
                try {
                    TaskBundle.unpack(fetch.get(), hash, partial);
                    Files.writeString(partial.resolve(TaskBundle.MARKER), hash, StandardCharsets.US_ASCII,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    // No fsync: after a crash the cache can be emptied; the rename only hides half-written trees.
                    Files.move(partial, bundle, StandardCopyOption.ATOMIC_MOVE);
                    return bundle;
                } finally {
                    if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
                        deleteTree(partial);
                    }
                }
            }
        }
    }

    private static boolean complete(Path bundle, String hash) throws IOException {
        if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path marker = bundle.resolve(TaskBundle.MARKER);
        try {
            BasicFileAttributes attributes = Files.readAttributes(marker, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() && attributes.size() == hash.length()
                    && new String(Files.readAllBytes(marker), StandardCharsets.US_ASCII).equals(hash);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** What a process that died while unpacking or discarding {@code hash} left behind. */
    private void removeDebris(String hash) throws IOException {
        for (String prefix : new String[]{PARTIAL, STALE}) {
            try (DirectoryStream<Path> debris = Files.newDirectoryStream(root, prefix + hash + "-*")) {
                for (Path path : debris) {
                    deleteTree(path);
                }
            }
        }
    }

    /** Renames an incomplete bundle directory aside first, so its name is free even if deleting it fails midway. */
    private void discard(Path bundle) throws IOException {
        Path stale = root.resolve(STALE + bundle.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(bundle, stale, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        deleteTree(stale);
    }

    private static Path existingAncestor(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? path.getRoot() : existing;
    }

    private static void deleteTree(Path tree) throws IOException {
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(tree);
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
