package io.galapagos.deploy.bundle;

import io.galapagos.worker.external.BundleCache;
import io.galapagos.worker.external.TaskBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link BundleStore} does on every database the run may use; one subclass per database. */
@Timeout(120)
abstract class BundleStoreContract {

    private static final long CAP = 64L * 1024 * 1024;

    /** A database with the schema installed. */
    record Database(String url, String user, String password) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    abstract Database database() throws Exception;

    static TaskBundle bundle(Path dir, int seed) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("task-" + seed));
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(seed).nextBytes(data);
        Files.write(folder.resolve("data.bin"), data);
        Files.writeString(folder.resolve("evaluate.py"), "print(" + seed + ")\n");
        return TaskBundle.pack(folder, List.of(Path.of("data.bin"), Path.of("evaluate.py")), CAP);
    }

    static long rows(Database database, String hash) throws SQLException {
        return number(database, "SELECT COUNT(*) FROM galapagos_task_bundles WHERE hash = ?", hash);
    }

    static long number(Database database, String sql, String hash) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, hash);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void storingTheSameBundleTwiceKeepsOneRowWithItsBytes(@TempDir Path dir) throws Exception {
        Database database = database();
        BundleStore store = new BundleStore(database.url(), database.user(), database.password());
        TaskBundle bundle = bundle(dir, 1);

        store.put(bundle);
        store.put(bundle);

        assertThat(rows(database, bundle.hash())).isEqualTo(1);
        assertThat(number(database, "SELECT size FROM galapagos_task_bundles WHERE hash = ?", bundle.hash())).isEqualTo(bundle.size());
        assertThat(store.get(bundle.hash())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(bundle.bytes()));
    }

    @Test
    void aHashNoRunStoredIsEmpty() throws Exception {
        Database database = database();

        assertThat(new BundleStore(database.url(), database.user(), database.password()).get("0".repeat(64))).isEmpty();
    }

    @Test
    void clientsStoringTheSameBundlesAtOnceAllSucceedWithOneRowEach(@TempDir Path dir) throws Exception {
        Database database = database();
        List<TaskBundle> bundles = List.of(bundle(dir, 2), bundle(dir, 3), bundle(dir, 4));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (TaskBundle bundle : bundles) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Void>> puts = new ArrayList<>();
                for (int n = 0; n < 4; n++) {
                    BundleStore client = new BundleStore(database.url(), database.user(), database.password());
                    Callable<Void> put = () -> {
                        start.await();
                        client.put(bundle);
                        return null;
                    };
                    puts.add(clients.submit(put));
                }
                start.countDown();
                for (Future<Void> put : puts) {
                    put.get(60, TimeUnit.SECONDS);
                }
                assertThat(rows(database, bundle.hash())).isEqualTo(1);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aStoredBundleUnpacksOnAWorkerThatNeverSawTheFolder(@TempDir Path dir) throws Exception {
        Database database = database();
        TaskBundle bundle = bundle(dir, 5);
        new BundleStore(database.url(), database.user(), database.password()).put(bundle);
        BundleStore worker = new BundleStore(database.url(), database.user(), database.password());

        Path unpacked = BundleCache.open(dir.resolve("cache")).resolve(bundle.hash(), () -> {
            try {
                return worker.get(bundle.hash()).orElseThrow();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(unpacked.resolve("evaluate.py")).hasContent("print(5)");
        assertThat(unpacked.resolve("data.bin")).hasSameBinaryContentAs(dir.resolve("task-5/data.bin"));
    }
}
