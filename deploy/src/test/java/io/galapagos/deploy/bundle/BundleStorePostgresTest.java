package io.galapagos.deploy.bundle;

import io.galapagos.deploy.faults.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BundleStore} on a cluster's database: a real PostgreSQL server. */
class BundleStorePostgresTest extends BundleStoreContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    Database database() {
        PostgresServer.Database database = POSTGRES.newDatabase();
        return new Database(database.url(), database.user(), database.password());
    }
}
