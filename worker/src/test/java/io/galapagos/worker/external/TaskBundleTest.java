package io.galapagos.worker.external;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class TaskBundleTest {

    private static final long CAP = 64L * 1024 * 1024;

    /** One entry of a hand-made archive, for the archives {@link TaskBundle#pack} would never write. */
    record Entry(String name, int mode, byte[] content) {
        static Entry file(String name, String content) {
            return new Entry(name, TaskBundle.REGULAR, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    static byte[] archive(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Entry entry : entries) {
                ZipEntry zipEntry = new ZipEntry(entry.name());
                if (entry.mode() != 0) {
                    zipEntry.setExtra(TaskBundle.modeField(entry.mode()));
                }
                zip.putNextEntry(zipEntry);
                zip.write(entry.content());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static Path taskFolder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("evaluator"));
        Files.writeString(dir.resolve("initial_program.py"), "def solve():\n    return 1\n");
        Files.writeString(dir.resolve("evaluator/evaluate.py"), "print('score', 1.0)\n");
        Path run = Files.writeString(dir.resolve("evaluator/run.sh"), "#!/bin/sh\nexec python3 evaluate.py\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static List<Path> files(String... names) {
        return Stream.of(names).map(Path::of).toList();
    }

    static final List<Path> TASK_FILES = files("initial_program.py", "evaluator/evaluate.py", "evaluator/run.sh");

    @Test
    void packingTheSameFilesInAnotherOrderWithOtherTimesGivesTheSameBytes(@TempDir Path dir) throws Exception {
        Path first = taskFolder(dir.resolve("first"));
        Path second = taskFolder(dir.resolve("second"));
        try (Stream<Path> all = Files.walk(second)) {
            for (Path path : all.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2031-05-06T07:08:09Z")));
            }
        }
        List<Path> reversed = new ArrayList<>(TASK_FILES);
        Collections.reverse(reversed);

        TaskBundle a = TaskBundle.pack(first, TASK_FILES, CAP);
        TaskBundle b = TaskBundle.pack(second, reversed, CAP);

        assertThat(b.hash()).isEqualTo(a.hash()).matches("[0-9a-f]{64}");
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(a.size()).isEqualTo(a.bytes().length);
        assertThat(a.hash()).isEqualTo(TaskBundle.sha256(a.bytes()));
    }

    @Test
    void anyChangeOfContentOrExecutableBitChangesTheHash(@TempDir Path dir) throws Exception {
        Path folder = taskFolder(dir);
        String original = TaskBundle.pack(folder, TASK_FILES, CAP).hash();

        Files.setPosixFilePermissions(folder.resolve("evaluator/run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        String withoutExecutable = TaskBundle.pack(folder, TASK_FILES, CAP).hash();
        Files.writeString(folder.resolve("initial_program.py"), "def solve():\n    return 2\n");
        String changed = TaskBundle.pack(folder, TASK_FILES, CAP).hash();

        assertThat(List.of(original, withoutExecutable, changed)).doesNotHaveDuplicates();
    }

    @Test
    void unpackingRestoresTheFilesAndTheExecutableBit(@TempDir Path dir) throws Exception {
        TaskBundle bundle = TaskBundle.pack(taskFolder(dir.resolve("task")), TASK_FILES, CAP);
        Path target = dir.resolve("unpacked");

        TaskBundle.unpack(bundle.bytes(), bundle.hash(), target);

        try (Stream<Path> all = Files.walk(target)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()))
                    .containsExactlyInAnyOrder("initial_program.py", "evaluator/evaluate.py", "evaluator/run.sh");
        }
        assertThat(target.resolve("evaluator/evaluate.py")).hasContent("print('score', 1.0)");
        assertThat(Files.getPosixFilePermissions(target.resolve("evaluator/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target.resolve("initial_program.py"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void aFolderOverTheCapNamesItsPackedSizeTheCapAndTheKey(@TempDir Path dir) throws Exception {
        byte[] noise = new byte[300 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(dir.resolve("weights.bin"), noise);

        assertThatThrownBy(() -> TaskBundle.pack(dir, files("weights.bin"), 100 * 1024))
                .isInstanceOf(TaskBundleException.class)
                .hasMessageMatching("task folder is 300\\.\\d KB packed, over the 100 KB cap \\(galapagos\\.tasks\\.bundle-limit\\);"
                        + " keep large data in a --data-dir that exists on every worker");
    }

    @Test
    void sizesReadAsPeopleWriteThemAndAnExcessNeverReadsAsTheCap() {
        assertThat(TaskBundle.readable(212L * 1024 * 1024)).isEqualTo("212 MB");
        assertThat(TaskBundle.readable(64L * 1024 * 1024)).isEqualTo("64 MB");
        assertThat(TaskBundle.readable(64L * 1024 * 1024 + 1)).isEqualTo("64.1 MB");
        assertThat(TaskBundle.readable(1536)).isEqualTo("1.5 KB");
        assertThat(TaskBundle.readable(12)).isEqualTo("12 bytes");
    }

    @Test
    void theCapIsReadFromItsKeyWithTheDefaultOfTheReference() {
        assertThat(TaskBundle.limit(ConfigFactory.load())).isEqualTo(64L * 1024 * 1024);
        assertThat(TaskBundle.limit(ConfigFactory.parseMap(Map.of("galapagos.tasks.bundle-limit", "2m")))).isEqualTo(2L * 1024 * 1024);
        assertThatThrownBy(() -> TaskBundle.limit(ConfigFactory.parseMap(Map.of("galapagos.tasks.bundle-limit", "0"))))
                .hasMessageContaining("galapagos.tasks.bundle-limit");
    }

    @Test
    void aFolderThatUnpacksBeyondTheLimitsIsRefusedBeforeCompressing(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("zeros.bin"), new byte[4096]);
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("b.txt"), "b");

        assertThatThrownBy(() -> TaskBundle.pack(dir, files("zeros.bin"), CAP, new TaskBundle.Limits(10, 1024)))
                .hasMessage("task folder is 4 KB unpacked, over the 1 KB a bundle may hold; keep large data in a"
                        + " --data-dir that exists on every worker");
        assertThatThrownBy(() -> TaskBundle.pack(dir, files("a.txt", "b.txt"), CAP, new TaskBundle.Limits(1, 1024)))
                .hasMessageStartingWith("task folder has 2 files, over the 1 a bundle may hold");
    }

    @Test
    void packNamesTheOffendingPath(@TempDir Path dir) throws Exception {
        Path folder = taskFolder(dir.resolve("task"));
        Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(folder.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(folder.resolve("linked"), dir);
        Files.writeString(folder.resolve(".galapagos-bundle"), "mine");

        assertThatThrownBy(() -> TaskBundle.pack(folder, files("link.txt"), CAP))
                .hasMessage("task folder file 'link.txt' is a symbolic link; a bundle holds regular files only");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files("linked/secret.txt"), CAP))
                .hasMessage("task folder file 'linked/secret.txt' lies under a symbolic link; a bundle holds regular files only");
        assertThatThrownBy(() -> TaskBundle.pack(folder, List.of(dir.resolve("secret.txt")), CAP))
                .hasMessage("task folder file '" + dir.resolve("secret.txt") + "' is absolute; list files relative to the folder");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files("evaluator/../../secret.txt"), CAP))
                .hasMessage("task folder file 'evaluator/../../secret.txt' does not name a file inside the folder");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files("evaluator/run.sh", "evaluator/run.sh"), CAP))
                .hasMessage("task folder file 'evaluator/run.sh' is listed twice");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files("evaluator"), CAP))
                .hasMessage("task folder file 'evaluator' is not a regular file");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files("missing.py"), CAP))
                .hasMessage("cannot read task folder file 'missing.py': no such file");
        assertThatThrownBy(() -> TaskBundle.pack(folder, files(".galapagos-bundle"), CAP))
                .hasMessage("task folder file '.galapagos-bundle' has a name that workers reserve; rename it");
    }

    @Test
    void unpackRefusesBytesThatDoNotHashToTheExpectedHash(@TempDir Path dir) throws Exception {
        TaskBundle bundle = TaskBundle.pack(taskFolder(dir.resolve("task")), TASK_FILES, CAP);
        byte[] corrupt = bundle.bytes();
        corrupt[corrupt.length / 2] ^= 1;

        assertThatThrownBy(() -> TaskBundle.unpack(corrupt, bundle.hash(), dir.resolve("out")))
                .isInstanceOf(TaskBundleException.class)
                .hasMessageStartingWith("task bundle " + bundle.hash() + " has sha256 " + TaskBundle.sha256(corrupt));
        assertThat(dir.resolve("out")).doesNotExist();
        assertThatThrownBy(() -> TaskBundle.unpack(bundle.bytes(), "../../etc", dir.resolve("out")))
                .hasMessage("'../../etc' is not a task bundle hash (64 lowercase hex digits)");
    }

    @Test
    void unpackRefusesEntriesThatEscapeTheTarget(@TempDir Path dir) throws Exception {
        assertRefused(dir, "entry '../evil.sh' escapes the target folder", Entry.file("../evil.sh", "x"));
        assertRefused(dir, "entry 'evaluator/../../evil.sh' escapes the target folder", Entry.file("evaluator/../../evil.sh", "x"));
        assertRefused(dir, "entry '/tmp/evil.sh' is an absolute path", Entry.file("/tmp/evil.sh", "x"));
        assertRefused(dir, "entry '..\\evil.sh' is not a plain relative path", Entry.file("..\\evil.sh", "x"));
        assertThat(dir.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void unpackRefusesSymbolicLinksAndAnythingButRegularFiles(@TempDir Path dir) throws Exception {
        assertRefused(dir, "entry 'passwd' is a symbolic link",
                new Entry("passwd", 0120777, "/etc/passwd".getBytes(StandardCharsets.UTF_8)));
        assertRefused(dir, "entry 'setuid' has mode 104755, not a regular file's", new Entry("setuid", 0104755, new byte[1]));
        assertRefused(dir, "entry 'plain.txt' carries no file mode", new Entry("plain.txt", 0, new byte[1]));
        assertRefused(dir, "entry 'evaluator/' is a directory entry, which bundles never hold",
                new Entry("evaluator/", TaskBundle.REGULAR, new byte[0]));
    }

    @Test
    void unpackRefusesDuplicateAndCollidingEntries(@TempDir Path dir) throws Exception {
        // java.util.zip refuses to write a name twice, so the second name is patched into the first.
        byte[] twice = archive(Entry.file("a.txt", "first"), Entry.file("b.txt", "second"));
        String text = new String(twice, StandardCharsets.ISO_8859_1).replace("b.txt", "a.txt");
        byte[] duplicated = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> TaskBundle.unpack(duplicated, TaskBundle.sha256(duplicated), dir.resolve("twice")))
                .hasMessageContaining("entry 'a.txt' appears twice");

        assertRefused(dir, "entry 'a.txt/b.txt' lies under the file 'a.txt'", Entry.file("a.txt", "x"), Entry.file("a.txt/b.txt", "y"));
        assertRefused(dir, "entry 'a' is also a directory of other entries", Entry.file("a/b.txt", "x"), Entry.file("a", "y"));
        assertRefused(dir, "entry '.galapagos-bundle' has a name that workers reserve", Entry.file(".galapagos-bundle", "x"));
    }

    @Test
    void unpackStopsAtTheEntryAndSizeLimitsWhateverTheArchiveClaims(@TempDir Path dir) throws Exception {
        byte[] many = archive(Entry.file("1", "x"), Entry.file("2", "x"), Entry.file("3", "x"));
        assertThatThrownBy(() -> TaskBundle.unpack(many, TaskBundle.sha256(many), dir.resolve("many"), new TaskBundle.Limits(2, 1 << 20)))
                .hasMessageContaining("has more than 2 entries");

        byte[] bomb = archive(new Entry("zeros.bin", TaskBundle.REGULAR, new byte[1 << 20]));
        assertThat(bomb.length).isLessThan(4096);
        assertThatThrownBy(() -> TaskBundle.unpack(bomb, TaskBundle.sha256(bomb), dir.resolve("bomb"), new TaskBundle.Limits(10, 64 * 1024)))
                .hasMessage("task bundle " + TaskBundle.sha256(bomb) + " unpacks to more than 64 KB; refusing to unpack it");
        assertThat(Files.size(dir.resolve("bomb/zeros.bin"))).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void unpackRefusesBytesThatAreNoArchiveOrHaveAMalformedName(@TempDir Path dir) throws Exception {
        byte[] latin = archive(Entry.file("caf\u00e9.txt", "x"));
        String text = new String(latin, StandardCharsets.ISO_8859_1);
        // The two UTF-8 bytes of the accent become one invalid byte and a space, in both headers.
        byte[] malformed = text.replace("caf\u00c3\u00a9", "caf\u00ff ").getBytes(StandardCharsets.ISO_8859_1);
        String hash = TaskBundle.sha256(malformed);

        assertThatThrownBy(() -> TaskBundle.unpack(malformed, hash, dir.resolve("malformed")))
                .isInstanceOf(TaskBundleException.class)
                .hasMessageStartingWith("task bundle " + hash + " is not a readable archive");
    }

    @Test
    void unpackWantsAnEmptyTarget(@TempDir Path dir) throws Exception {
        TaskBundle bundle = TaskBundle.pack(taskFolder(dir.resolve("task")), TASK_FILES, CAP);

        assertThatThrownBy(() -> TaskBundle.unpack(bundle.bytes(), bundle.hash(), dir))
                .isInstanceOf(IOException.class).hasMessageEndingWith(": not empty");
    }

    private static void assertRefused(Path dir, String why, Entry... entries) throws IOException {
        byte[] bytes = archive(entries);
        String hash = TaskBundle.sha256(bytes);
        Path target = Files.createTempDirectory(dir, "target");
        assertThatThrownBy(() -> TaskBundle.unpack(bytes, hash, target))
                .isInstanceOf(TaskBundleException.class)
                .hasMessage("task bundle " + hash + " " + why + "; refusing to unpack it");
    }
}
