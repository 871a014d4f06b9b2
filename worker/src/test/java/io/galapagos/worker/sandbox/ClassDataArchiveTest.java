package io.galapagos.worker.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataArchiveTest {

    @Test
    void thePackagedApplicationKeepsItsArchivesNextToLib(@TempDir Path app) {
        Path harness = app.resolve("lib").resolve("galapagos-worker.jar");

        assertThat(ClassDataArchive.folder(List.of(harness, app.resolve("lib").resolve("other.jar")))).contains(app);
    }

    @Test
    void classesFromFoldersHaveNoArchive(@TempDir Path build) {
        assertThat(ClassDataArchive.folder(List.of(build.resolve("worker").resolve("target").resolve("classes"))))
                .isEmpty();
        assertThat(ClassDataArchive.folder(List.of(build.resolve("galapagos-worker.jar")))).isEmpty();
        assertThat(ClassDataArchive.folder(List.of())).isEmpty();
    }

    @Test
    void anArchiveNewerThanEveryJarIsUsed(@TempDir Path app) throws IOException {
        Path jar = touched(app.resolve("a.jar"), Instant.parse("2026-01-01T00:00:00Z"));
        Path archive = touched(app.resolve("sandbox-child.jsa"), Instant.parse("2026-01-02T00:00:00Z"));

        assertThat(ClassDataArchive.problem(archive, List.of(jar))).isEmpty();
    }

    @Test
    void aMissingOrStaleArchiveIsNamedWithTheReason(@TempDir Path app) throws IOException {
        Path archive = touched(app.resolve("sandbox-child.jsa"), Instant.parse("2026-01-01T00:00:00Z"));
        Path rebuilt = touched(app.resolve("galapagos-worker.jar"), Instant.parse("2026-01-02T00:00:00Z"));

        assertThat(ClassDataArchive.problem(archive, List.of(rebuilt))).hasValueSatisfying(
                why -> assertThat(why).contains("sandbox-child.jsa is older than galapagos-worker.jar"));
        assertThat(ClassDataArchive.problem(app.resolve("sandbox-compiler.jsa"), List.of(rebuilt))).hasValueSatisfying(
                why -> assertThat(why).contains("sandbox-compiler.jsa is missing"));
    }

    private static Path touched(Path file, Instant when) throws IOException {
        Files.write(file, new byte[]{1});
        Files.setLastModifiedTime(file, FileTime.from(when));
        return file;
    }
}
