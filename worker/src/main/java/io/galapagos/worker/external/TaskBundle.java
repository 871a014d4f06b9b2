package io.galapagos.worker.external;

import com.typesafe.config.Config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A task folder as one zip archive named by the sha256 of its bytes: stored once in the run's database
 * when the run is submitted, unpacked by each worker into its {@link BundleCache} on first use.
 * Packing is deterministic (sorted entries, one fixed timestamp, no owner, only an executable bit), so
 * the same files give the same bytes and the same hash.
 */
public final class TaskBundle {

    /** The most files a bundle holds; packing refuses more and unpacking stops there. */
    public static final int MAX_ENTRIES = 10_000;

    /** The most bytes a bundle unpacks to; packing refuses more and unpacking stops there (zip bombs). */
    public static final long MAX_UNPACKED_BYTES = 1L << 30;

    /** The configuration key of the packed-size cap that submission passes to {@link #pack}. */
    public static final String LIMIT_KEY = "galapagos.tasks.bundle-limit";

    /** The root-level name {@link BundleCache} marks a complete unpack with, so no task file may take it. */
    static final String MARKER = ".galapagos-bundle";

    /** What unpacking accepts at most; tests shrink it to build bombs cheaply. */
    record Limits(int entries, long unpackedBytes) {
    }

    static final Limits LIMITS = new Limits(MAX_ENTRIES, MAX_UNPACKED_BYTES);

    // The DOS timestamp of 1980-01-01 needs no extended-time field and reads the same in every time zone.
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    // java.util.zip cannot write Unix attributes, so each entry carries its mode in a private extra field.
    private static final int MODE_FIELD = 0x4761;
    static final int REGULAR = 0100644;
    static final int EXECUTABLE = 0100755;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final long MB = 1024 * 1024;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final byte[] bytes;
    private final String hash;

    private TaskBundle(byte[] bytes, String hash) {
        this.bytes = bytes;
        this.hash = hash;
    }

    /** The packed-size cap of {@value #LIMIT_KEY}, in bytes. */
    public static long limit(Config config) {
        long limit = config.getBytes(LIMIT_KEY);
        if (limit <= 0) {
            throw new IllegalArgumentException(LIMIT_KEY + " must be positive, got " + config.getString(LIMIT_KEY));
        }
        return limit;
    }

    /**
     * Packs the regular files {@code relativeFiles} of the folder {@code root}, in any order.
     *
     * @throws TaskBundleException naming the offending path (absolute, {@code ..}, a symbolic link, not a
     *                             regular file, listed twice, unreadable) or the size and the cap exceeded
     */
    public static TaskBundle pack(Path root, List<Path> relativeFiles, long maxBytes) throws TaskBundleException {
        return pack(root, relativeFiles, maxBytes, LIMITS);
    }

    static TaskBundle pack(Path root, List<Path> relativeFiles, long maxBytes, Limits limits) throws TaskBundleException {
        if (maxBytes <= 0 || maxBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("a task bundle's cap must be between 1 byte and 2 GB, got " + maxBytes);
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new TaskBundleException("cannot read task folder " + root + ": " + oneLine(e));
        }
        Map<String, Path> names = new TreeMap<>();
        for (Path relative : relativeFiles) {
            String name = entryName(relative);
            if (names.put(name, relative) != null) {
                throw new TaskBundleException("task folder file '" + name + "' is listed twice");
            }
        }
        if (names.size() > limits.entries()) {
            throw new TaskBundleException("task folder has " + names.size() + " files, over the " + limits.entries()
                    + " a bundle may hold; keep large data in a --data-dir that exists on every worker");
        }
        // Every path is checked, and the unpacked size known, before anything is compressed.
        Map<String, Path> files = new TreeMap<>();
        long unpacked = 0;
        for (Map.Entry<String, Path> name : names.entrySet()) {
            Path path = realRoot.resolve(name.getValue());
            unpacked += regularFileSize(path, name.getKey());
            files.put(name.getKey(), path);
        }
        if (unpacked > limits.unpackedBytes()) {
            throw tooLargeUnpacked(unpacked, limits);
        }
        CappedBuffer packed = new CappedBuffer(maxBytes);
        long read = 0;
        try (ZipOutputStream zip = new ZipOutputStream(packed)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            for (Map.Entry<String, Path> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTimeLocal(ENTRY_TIME);
                entry.setMethod(ZipEntry.DEFLATED);
                entry.setExtra(modeField(executable(file.getValue()) ? EXECUTABLE : REGULAR));
                zip.putNextEntry(entry);
                try (InputStream in = Files.newInputStream(file.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                    read += in.transferTo(zip);
                } catch (IOException e) {
                    throw new TaskBundleException("cannot read task folder file '" + file.getKey() + "': " + oneLine(e));
                }
                if (read > limits.unpackedBytes()) {
                    // A file that grew while it was packed.
                    throw tooLargeUnpacked(read, limits);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new TaskBundleException("cannot pack task folder " + root + ": " + oneLine(e));
        }
        if (packed.count() > maxBytes) {
            throw new TaskBundleException("task folder is " + readable(packed.count()) + " packed, over the "
                    + readable(maxBytes) + " cap (" + LIMIT_KEY + "); keep large data in a --data-dir that exists on"
                    + " every worker");
        }
        byte[] bytes = packed.bytes();
        return new TaskBundle(bytes, sha256(bytes));
    }

    private static TaskBundleException tooLargeUnpacked(long unpacked, Limits limits) {
        return new TaskBundleException("task folder is " + readable(unpacked) + " unpacked, over the "
                + readable(limits.unpackedBytes()) + " a bundle may hold; keep large data in a --data-dir that exists"
                + " on every worker");
    }

    /** Lowercase hex of the sha256 of {@link #bytes()}: the bundle's name in the database and in caches. */
    public String hash() {
        return hash;
    }

    /** The archive; a copy, so that the hash keeps naming these bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The archive's length in bytes. */
    public long size() {
        return bytes.length;
    }

    /**
     * Unpacks {@code bytes} into {@code target} (created if missing, and empty) after checking that they
     * hash to {@code expectedHash}. Refuses, before writing it, any entry that would land outside the
     * target, that is not a regular file, that repeats or collides with another, and stops at
     * {@link #MAX_ENTRIES} entries or {@link #MAX_UNPACKED_BYTES} bytes, whatever the headers claim.
     *
     * @throws TaskBundleException when the bytes are not what {@link #pack} writes for that hash
     * @throws IOException         when the target cannot be written
     */
    public static void unpack(byte[] bytes, String expectedHash, Path target) throws TaskBundleException, IOException {
        unpack(bytes, expectedHash, target, LIMITS);
    }

    static void unpack(byte[] bytes, String expectedHash, Path target, Limits limits) throws TaskBundleException, IOException {
        requireHash(expectedHash);
        String actual = sha256(bytes);
        if (!actual.equals(expectedHash)) {
            throw new TaskBundleException("task bundle " + expectedHash + " has sha256 " + actual + " (" + bytes.length
                    + " bytes): it was corrupted in the database or on the way");
        }
        Files.createDirectories(target);
        try (DirectoryStream<Path> present = Files.newDirectoryStream(target)) {
            if (present.iterator().hasNext()) {
                throw new IOException("cannot unpack task bundle " + expectedHash + " into " + target + ": not empty");
            }
        }
        Set<String> files = new HashSet<>();
        Set<String> directories = new HashSet<>();
        long unpacked = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (++entries > limits.entries()) {
                    throw refused(expectedHash, "has more than " + limits.entries() + " entries");
                }
                String name = entry.getName();
                if (entry.isDirectory()) {
                    throw refused(expectedHash, "entry '" + name + "' is a directory entry, which bundles never hold");
                }
                List<String> segments = safeSegments(expectedHash, name);
                int mode = mode(expectedHash, name, entry.getExtra());
                String parent = "";
                for (String segment : segments.subList(0, segments.size() - 1)) {
                    parent = parent.isEmpty() ? segment : parent + "/" + segment;
                    if (files.contains(parent)) {
                        throw refused(expectedHash, "entry '" + name + "' lies under the file '" + parent + "'");
                    }
                    directories.add(parent);
                }
                if (directories.contains(name)) {
                    throw refused(expectedHash, "entry '" + name + "' is also a directory of other entries");
                }
                if (!files.add(name)) {
                    throw refused(expectedHash, "entry '" + name + "' appears twice");
                }
                Path file = target.resolve(String.join("/", segments));
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                        unpacked += n;
                        if (unpacked > limits.unpackedBytes()) {
                            throw refused(expectedHash, "unpacks to more than " + readable(limits.unpackedBytes()));
                        }
                        out.write(buffer, 0, n);
                    }
                }
                setMode(file, mode);
            }
        } catch (ZipException | IllegalArgumentException e) {
            // java.util.zip reports a malformed entry name as an IllegalArgumentException.
            throw refused(expectedHash, "is not a readable archive: " + oneLine(e));
        }
    }

    /** Whether {@code hash} could name a bundle: 64 lowercase hex digits, so also a safe directory name. */
    static void requireHash(String hash) throws TaskBundleException {
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new TaskBundleException("'" + hash + "' is not a task bundle hash (64 lowercase hex digits)");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The extra field that carries an entry's Unix mode. */
    static byte[] modeField(int mode) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) MODE_FIELD).putShort((short) 4).putInt(mode).array();
    }

    private static String entryName(Path relative) throws TaskBundleException {
        String shown = relative.toString();
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new TaskBundleException("task folder file '" + shown + "' is absolute; list files relative to the folder");
        }
        StringBuilder name = new StringBuilder();
        for (Path segment : relative) {
            String part = segment.toString();
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\") || part.indexOf(0) >= 0) {
                throw new TaskBundleException("task folder file '" + shown + "' does not name a file inside the folder");
            }
            name.append(name.isEmpty() ? "" : "/").append(part);
        }
        if (name.isEmpty()) {
            throw new TaskBundleException("task folder file '' does not name a file inside the folder");
        }
        if (name.toString().equals(MARKER)) {
            throw new TaskBundleException("task folder file '" + MARKER + "' has a name that workers reserve; rename it");
        }
        return name.toString();
    }

    private static long regularFileSize(Path path, String name) throws TaskBundleException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new TaskBundleException("task folder file '" + name + "' is a symbolic link; a bundle holds regular files only");
            }
            if (!attributes.isRegularFile()) {
                throw new TaskBundleException("task folder file '" + name + "' is not a regular file");
            }
            if (!path.toRealPath().equals(path)) {
                throw new TaskBundleException("task folder file '" + name + "' lies under a symbolic link; a bundle holds"
                        + " regular files only");
            }
            return attributes.size();
        } catch (IOException e) {
            throw new TaskBundleException("cannot read task folder file '" + name + "': " + oneLine(e));
        }
    }

    private static boolean executable(Path path) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        return posix != null && posix.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE);
    }

    private static List<String> safeSegments(String hash, String name) throws TaskBundleException {
        if (name.startsWith("/") || name.startsWith("\\")) {
            throw refused(hash, "entry '" + name + "' is an absolute path");
        }
        List<String> segments = Arrays.asList(name.split("/", -1));
        for (String segment : segments) {
            if (segment.equals("..")) {
                throw refused(hash, "entry '" + name + "' escapes the target folder");
            }
            if (segment.isEmpty() || segment.equals(".") || segment.contains("\\") || segment.indexOf(0) >= 0) {
                throw refused(hash, "entry '" + name + "' is not a plain relative path");
            }
        }
        if (name.equals(MARKER)) {
            throw refused(hash, "entry '" + name + "' has a name that workers reserve");
        }
        return segments;
    }

    private static int mode(String hash, String name, byte[] extra) throws TaskBundleException {
        ByteBuffer fields = ByteBuffer.wrap(extra == null ? new byte[0] : extra).order(ByteOrder.LITTLE_ENDIAN);
        while (fields.remaining() >= 4) {
            int id = fields.getShort() & 0xffff;
            int size = fields.getShort() & 0xffff;
            if (size > fields.remaining()) {
                break;
            }
            if (id == MODE_FIELD && size == 4) {
                int mode = fields.getInt();
                if ((mode & 0170000) == 0120000) {
                    throw refused(hash, "entry '" + name + "' is a symbolic link");
                }
                if (mode != REGULAR && mode != EXECUTABLE) {
                    throw refused(hash, "entry '" + name + "' has mode " + Integer.toOctalString(mode)
                            + ", not a regular file's");
                }
                return mode;
            }
            fields.position(fields.position() + size);
        }
        throw refused(hash, "entry '" + name + "' carries no file mode");
    }

    private static void setMode(Path file, int mode) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode == EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--"));
        } else if (mode == EXECUTABLE && !file.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + file + " executable");
        }
    }

    private static TaskBundleException refused(String hash, String why) {
        return new TaskBundleException("task bundle " + hash + " " + why + "; refusing to unpack it");
    }

    /** A size the way people read it: bytes, KB or MB, rounded up so that an excess never reads as equal. */
    static String readable(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes < MB ? bytes / 1024.0 : bytes / (double) MB;
        String unit = bytes < MB ? " KB" : " MB";
        double tenths = Math.ceil(value * 10) / 10;
        return (tenths == Math.rint(tenths) ? Long.toString((long) tenths) : Double.toString(tenths)) + unit;
    }

    private static String oneLine(Exception e) {
        String message = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse("").strip();
    }

    /** Keeps what is written up to the cap and only counts the rest, so an oversized folder reports its size. */
    private static final class CappedBuffer extends OutputStream {
        private final long cap;
        private byte[] kept = new byte[8192];
        private long count;

        CappedBuffer(long cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            long keep = Math.max(0, Math.min(len, cap - count));
            if (keep > 0) {
                int end = (int) (count + keep);
                if (end > kept.length) {
                    kept = Arrays.copyOf(kept, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(end, 2L * kept.length)));
                }
                System.arraycopy(b, off, kept, (int) count, (int) keep);
            }
            count += len;
        }

        long count() {
            return count;
        }

        byte[] bytes() {
            return Arrays.copyOf(kept, (int) count);
        }
    }
}
