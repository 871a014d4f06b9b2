package io.galapagos.deploy.faults;

import io.galapagos.controller.store.Schema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test class (binaries from Maven artifacts, no install step), with a
 * fresh database and the journal schema for every test. Child JVMs reach it over loopback.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    /** A database on the server, schema applied. */
    public record Database(String url, String user, String password) {
    }

    private static final String USER = "postgres";

    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200").start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Creates a new database with the journal tables (applied twice: the schema must be idempotent). */
    public Database newDatabase() {
        String name = "galapagos_" + databases.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        Database database = new Database("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name, USER, "");
        Schema.install(database.url(), database.user(), database.password());
        Schema.install(database.url(), database.user(), database.password());
        return database;
    }
}
