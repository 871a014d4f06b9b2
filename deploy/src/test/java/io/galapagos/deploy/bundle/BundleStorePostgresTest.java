package io.galapagos.deploy.bundle;

import io.galapagos.deploy.faults.PostgresServer;
import io.galapagos.worker.external.TaskBundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link BundleStore} on a cluster's database: a real PostgreSQL server. */
// integration lane: a PostgreSQL server
@Tag("integration")
class BundleStorePostgresTest extends BundleStoreContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    Database database() {
        PostgresServer.Database database = POSTGRES.newDatabase();
        return new Database(database.url(), database.user(), database.password());
    }

    @Test
    void aPutWhoseInsertMeetsAnotherClientsRowStillSucceeds(@TempDir Path dir) throws Exception {
        Database database = database();
        TaskBundle bundle = bundle(dir, 6);
        BundleStore store = new BundleStore(database.url(), database.user(), database.password());
        try (Connection other = database.connect()) {
            // The other client's row is not committed yet, so the put finds nothing and inserts, then waits on the key.
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement(
                    "INSERT INTO galapagos_task_bundles (hash, bytes, size, stored_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, bundle.hash());
                insert.setBytes(2, bundle.bytes());
                insert.setLong(3, bundle.size());
                insert.executeUpdate();
            }
            CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
                try {
                    store.put(bundle);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnALock(database));
            other.commit();
            put.get(30, TimeUnit.SECONDS);
        }

        assertThat(rows(database, bundle.hash())).isEqualTo(1);
        assertThat(store.get(bundle.hash())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(bundle.bytes()));
    }

    private static boolean waitingOnALock(Database database) throws Exception {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE wait_event_type = 'Lock' AND datname = current_database()");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1) > 0;
        }
    }
}
