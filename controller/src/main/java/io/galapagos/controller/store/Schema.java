package io.galapagos.controller.store;

import io.galapagos.simulators.Resources;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the journal, snapshot and durable-state tables if they are missing. The persistence plugin
 * never creates them, and its own scripts cannot run twice; ours can, so this runs at every start.
 */
public final class Schema {

    /** Key of the transaction lock that serializes schema installs on one PostgreSQL database. */
    private static final long POSTGRES_LOCK = 0x6761_6c61_7061L;

    private Schema() {
    }

    /** Applies the DDL of the database behind {@code url} (H2 or PostgreSQL) in one transaction. */
    public static void install(String url, String user, String password) {
        String script = Resources.text(Schema.class, "/galapagos/schema/" + dialect(url) + ".sql");
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (dialect(url).equals("postgres")) {
                    // Nodes starting together would race on CREATE ... IF NOT EXISTS (a unique violation
                    // in the catalog); one lock per database makes them take turns.
                    statement.execute("SELECT pg_advisory_xact_lock(" + POSTGRES_LOCK + ")");
                }
                for (String sql : statements(script)) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the journal tables at " + url + ": " + e.getMessage(), e);
        }
    }

    static String dialect(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return "h2";
        } else if (url.startsWith("jdbc:postgresql:")) {
            return "postgres";
        }
        throw new IllegalArgumentException("unsupported journal database " + url + " (expected jdbc:h2: or jdbc:postgresql:)");
    }

    private static java.util.List<String> statements(String script) {
        StringBuilder kept = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(kept.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
