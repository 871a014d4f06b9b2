package io.galapagos.worker.external;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class BundleCacheTest {

    private static final long CAP = 64L * 1024 * 1024;

    private static TaskBundle bundle(Path dir) throws Exception {
        return TaskBundle.pack(TaskBundleTest.taskFolder(dir), TaskBundleTest.TASK_FILES, CAP);
    }

    /** A fetch that counts its calls, the way a worker would read the run's database. */
    private static final class CountingFetch implements Supplier<byte[]> {
        private final byte[] bytes;
        private final AtomicInteger calls = new AtomicInteger();

        CountingFetch(TaskBundle bundle) {
            this.bytes = bundle.bytes();
        }

        @Override
        public byte[] get() {
            calls.incrementAndGet();
            return bytes.clone();
        }
    }

    @Test
    void theFirstResolveFetchesAndUnpacksAndLaterOnesOnlyReturnTheDirectory(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache cache = BundleCache.open(dir.resolve("cache"));
        CountingFetch fetch = new CountingFetch(bundle);

        Path first = cache.resolve(bundle.hash(), fetch);
        Path second = cache.resolve(bundle.hash(), fetch);

        assertThat(first).isEqualTo(second).isEqualTo(dir.resolve("cache").resolve(bundle.hash()));
        assertThat(fetch.calls).hasValue(1);
        assertThat(first.resolve("evaluator/evaluate.py")).hasContent("print('score', 1.0)");
        assertThat(first.resolve(".galapagos-bundle")).hasContent(bundle.hash());
    }

    @Test
    void eightThreadsResolvingTheSameHashAtOnceFetchOnce(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache cache = BundleCache.open(dir.resolve("cache"));
        CountingFetch fetch = new CountingFetch(bundle);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> resolved = new ArrayList<>();
            for (int n = 0; n < 8; n++) {
                resolved.add(threads.submit(() -> {
                    start.await();
                    return cache.resolve(bundle.hash(), fetch);
                }));
            }
            start.countDown();
            for (Future<Path> path : resolved) {
                assertThat(path.get(30, TimeUnit.SECONDS)).isEqualTo(cache.root().resolve(bundle.hash()));
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(fetch.calls).hasValue(1);
        assertThat(cache.root().resolve(bundle.hash()).resolve("evaluator/run.sh")).isExecutable();
        try (Stream<Path> entries = Files.list(cache.root())) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".partial-"))).isEmpty();
        }
    }

    @Test
    void aSecondCacheOnTheSameDirectoryUsesWhatTheFirstUnpacked(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache.open(dir.resolve("cache")).resolve(bundle.hash(), new CountingFetch(bundle));
        CountingFetch again = new CountingFetch(bundle);

        Path path = BundleCache.open(dir.resolve("cache")).resolve(bundle.hash(), again);

        assertThat(again.calls).hasValue(0);
        assertThat(path.resolve("initial_program.py")).exists();
    }

    @Test
    void aHalfUnpackedDirectoryIsRemovedAndUnpackedAgain(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache cache = BundleCache.open(dir.resolve("cache"));
        Path half = Files.createDirectories(cache.root().resolve(bundle.hash()).resolve("evaluator"));
        Files.writeString(half.resolve("evaluate.py"), "print('sco");
        Files.writeString(half.resolve("leftover.tmp"), "");
        CountingFetch fetch = new CountingFetch(bundle);

        Path path = cache.resolve(bundle.hash(), fetch);

        assertThat(fetch.calls).hasValue(1);
        assertThat(path.resolve("evaluator/evaluate.py")).hasContent("print('score', 1.0)");
        assertThat(path.resolve("evaluator/leftover.tmp")).doesNotExist();
        assertThat(path.resolve("initial_program.py")).exists();
    }

    @Test
    void aMarkerNamingAnotherHashDoesNotCountAsComplete(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache cache = BundleCache.open(dir.resolve("cache"));
        Path other = Files.createDirectories(cache.root().resolve(bundle.hash()));
        Files.writeString(other.resolve(".galapagos-bundle"), "0".repeat(64));
        CountingFetch fetch = new CountingFetch(bundle);

        Path path = cache.resolve(bundle.hash(), fetch);

        assertThat(fetch.calls).hasValue(1);
        assertThat(path.resolve(".galapagos-bundle")).hasContent(bundle.hash());
    }

    @Test
    void whatADeadProcessLeftWhileUnpackingIsRemoved(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        BundleCache cache = BundleCache.open(dir.resolve("cache"));
        Path partial = Files.createDirectories(cache.root().resolve(".partial-" + bundle.hash() + "-123"));
        Files.writeString(partial.resolve("initial_program.py"), "def");
        Path stale = Files.createDirectories(cache.root().resolve(".stale-" + bundle.hash() + "-456"));

        cache.resolve(bundle.hash(), new CountingFetch(bundle));

        assertThat(partial).doesNotExist();
        assertThat(stale).doesNotExist();
    }

    @Test
    void bytesOfAnotherBundleAreRefusedAndLeaveNothingBehind(@TempDir Path dir) throws Exception {
        TaskBundle bundle = bundle(dir.resolve("task"));
        Files.writeString(dir.resolve("task/initial_program.py"), "def solve():\n    return 2\n");
        TaskBundle other = TaskBundle.pack(dir.resolve("task"), TaskBundleTest.TASK_FILES, CAP);
        BundleCache cache = BundleCache.open(dir.resolve("cache"));

        assertThatThrownBy(() -> cache.resolve(bundle.hash(), other::bytes))
                .isInstanceOf(TaskBundleException.class)
                .hasMessageStartingWith("task bundle " + bundle.hash() + " has sha256 " + other.hash());
        try (Stream<Path> entries = Files.list(cache.root())) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".lock-"))).isEmpty();
        }
        assertThat(cache.resolve(bundle.hash(), bundle::bytes).resolve("initial_program.py")).hasContent("def solve():\n    return 1");
    }

    @Test
    void aNameThatIsNoHashIsRefusedBeforeAnythingIsFetched(@TempDir Path dir) throws Exception {
        BundleCache cache = BundleCache.open(dir.resolve("cache"));

        assertThatThrownBy(() -> cache.resolve("../../home", () -> {
            throw new AssertionError("fetched");
        })).isInstanceOf(TaskBundleException.class).hasMessage("'../../home' is not a task bundle hash (64 lowercase hex digits)");
    }

    @Test
    void aNewCacheDirectoryIsPrivateAndOneWritableByOthersIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        BundleCache created = BundleCache.open(dir.resolve("new/cache"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.root()))).isEqualTo("rwx------");

        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> BundleCache.open(shared))
                .isInstanceOf(IOException.class)
                .hasMessage("bundle cache " + shared + " is writable by other users (rwxrwxrwx); make it rwx------ or set"
                        + " galapagos.worker.bundle-cache to a directory of its own");
    }

    @Test
    void theDirectoryComesFromItsKeyAndDefaultsToAPerUserTemporaryDirectory(@TempDir Path dir) throws Exception {
        BundleCache configured = BundleCache.fromConfig(ConfigFactory.parseMap(
                Map.of("galapagos.worker.bundle-cache", dir.resolve("configured").toString())));
        assertThat(configured.root()).isEqualTo(dir.resolve("configured"));

        assertThat(Path.of(ConfigFactory.load().getString("galapagos.worker.bundle-cache"))).isEqualTo(
                Path.of(System.getProperty("java.io.tmpdir"), "galapagos-bundles-" + System.getProperty("user.name")));
    }
}
