package io.galapagos.deploy.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One live process per run folder: the embedded node's {@code run} and {@code resume} hold an exclusive
 * lock on {@code <out>/galapagos.lock} for their whole life, so a second one on the same journal is
 * refused with a line naming the holder. The operating system drops the lock when its process dies, so
 * the lock of a killed run is simply taken over.
 */
public final class RunFolderLock implements AutoCloseable {

    static final String FILE = "galapagos.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code outDir} (created if missing) and records this process in it.
     *
     * @throws IllegalArgumentException in one line naming the holder when another live process has it
     */
    public static RunFolderLock acquire(Path outDir) {
        Path file = outDir.resolve(FILE);
        FileChannel channel;
        try {
            Files.createDirectories(outDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use " + outDir + " as the run's folder: " + describe(e));
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new IllegalArgumentException("cannot lock " + file + ": " + describe(e));
        }
        if (lock == null) {
            String holder = holder(file);
            close(channel);
            throw new IllegalArgumentException(outDir + " is in use by a live galapagos (" + holder
                    + "): wait for it to end or stop it first");
        }
        try {
            String self = "pid " + ProcessHandle.current().pid() + " on " + host() + " since " + Instant.now();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(self.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new RunFolderLock(channel, lock);
    }

    /**
     * Refuses a folder that a live process holds, without creating anything where there is no lock yet.
     *
     * @throws IllegalArgumentException in one line naming the holder
     */
    public static void checkFree(Path outDir) {
        if (Files.exists(outDir.resolve(FILE))) {
            acquire(outDir).close();
        }
    }

    /** Whether a live process holds the lock of {@code outDir} now; this takes nothing and writes nothing. */
    public static boolean held(Path outDir) {
        try (FileChannel channel = FileChannel.open(outDir.resolve(FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            // no lock file: no run has held this folder yet
            return false;
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a process that has not written its name yet" : text;
        } catch (IOException e) {
            return "unknown holder";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + e.getMessage();
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was held
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below drops it too
        }
        close(channel);
    }
}
