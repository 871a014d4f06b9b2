package io.galapagos.deploy.bundle;

import io.galapagos.controller.store.Schema;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link BundleStore} on the embedded node's database: an H2 file. */
class BundleStoreH2Test extends BundleStoreContract {

    @TempDir
    Path journal;

    @Override
    Database database() {
        Database database = new Database("jdbc:h2:file:" + journal.resolve("galapagos") + ";DATABASE_TO_UPPER=false", "sa", "");
        Schema.install(database.url(), database.user(), database.password());
        return database;
    }
}
