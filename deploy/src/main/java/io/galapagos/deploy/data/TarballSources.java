package io.galapagos.deploy.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The simulators of the public repository ship their traces packed as {@code <simulator>/real_traces.tar.gz},
 * which their READMEs unpack into {@code <simulator>/data}. A checkout where nobody ran that step still imports:
 * a wanted {@code <simulator>/data/<entry>} is read from the archive.
 */
final class TarballSources {

    static final String ARCHIVE = "real_traces.tar.gz";

    /** Per archive (checkout-relative path), the wanted entries and, once read, their bytes. */
    private final Map<String, Map<String, byte[]>> read = new LinkedHashMap<>();
    private final Path checkout;

    TarballSources(Path checkout) {
        this.checkout = checkout;
    }

    /** The archive and entry that would hold {@code source} (checkout-relative), if one exists in the checkout. */
    Optional<String[]> locate(String source) {
        for (int at = source.indexOf("/data/"); at >= 0; at = source.indexOf("/data/", at + 1)) {
            String archive = source.substring(0, at + 1) + ARCHIVE;
            if (Files.isRegularFile(checkout.resolve(archive))) {
                return Optional.of(new String[]{archive, source.substring(at + "/data/".length())});
            }
        }
        return Optional.empty();
    }

    /** The bytes of {@code source} from its archive; each archive is read once, keeping only {@code wanted}. */
    Optional<byte[]> bytes(String source, Set<String> wanted) throws IOException {
        Optional<String[]> where = locate(source);
        if (where.isEmpty()) {
            return Optional.empty();
        }
        String archive = where.get()[0];
        Map<String, byte[]> entries = read.get(archive);
        if (entries == null) {
            entries = readArchive(checkout.resolve(archive), wanted);
            read.put(archive, entries);
        }
        return Optional.ofNullable(entries.get(where.get()[1]));
    }

    /** A plain ustar/GNU/PAX reader: regular files only, names with a leading "./" stripped. */
    private static Map<String, byte[]> readArchive(Path archive, Set<String> wanted) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (true) {
                if (!fill(in, header)) {
                    break;
                }
                if (allZero(header)) {
                    break;
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String name = text(header, 0, 100);
                if (text(header, 257, 5).equals("ustar")) {
                    String prefix = text(header, 345, 155);
                    if (!prefix.isEmpty()) {
                        name = prefix + "/" + name;
                    }
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                byte[] data = (type == 'L' || type == 'x' || ((type == '0' || type == '\0')
                        && wanted.contains(strip(name)))) ? readExactly(in, size) : null;
                if (data == null) {
                    skip(in, size);
                }
                skip(in, (512 - size % 512) % 512);
                if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                } else if (type == 'x') {
                    longName = paxPath(new String(data, StandardCharsets.UTF_8));
                } else if (data != null) {
                    found.put(strip(name), data);
                }
            }
        }
        return found;
    }

    private static String paxPath(String records) {
        for (String line : records.split("\n")) {
            int eq = line.indexOf(" path=");
            if (eq >= 0) {
                return line.substring(eq + " path=".length());
            }
        }
        return null;
    }

    private static String strip(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private static boolean fill(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        if (n == 0) {
            return false;
        }
        if (n < block.length) {
            throw new EOFException("truncated tar archive");
        }
        return true;
    }

    private static byte[] readExactly(InputStream in, long size) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("tar entry too large: " + size + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        byte[] buffer = new byte[8192];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("truncated tar archive");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static void skip(InputStream in, long size) throws IOException {
        long left = size;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar archive");
                }
                n = 1;
            }
            left -= n;
        }
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] block, int offset, int length) throws IOException {
        String digits = text(block, offset, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("unsupported tar header size field '" + digits + "'");
        }
    }
}
