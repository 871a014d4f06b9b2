package io.galapagos.controller.store;

import io.galapagos.simulators.Resources;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the journal, snapshot and durable-state tables if they are missing. The persistence plugin
 * never creates them, and its own scripts cannot run twice; ours can, so this runs at every start.
 */
public final class Schema {

    /** Key of the transaction lock that serializes schema installs on one PostgreSQL database. */
    private static final long POSTGRES_LOCK = 0x6761_6c61_7061L;

    private Schema() {
    }

    /**
     * The tables the persistence plugin needs, the members table that {@code galapagos status} reads, the
     * cluster lease, the fenced members and the task folders of runs.
     */
    public static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state",
            "galapagos_members", "galapagos_cluster", "galapagos_fenced", "galapagos_task_bundles");

    /** What an install found: the dialect's script, the tables it created and those already there. */
    public record Installed(String dialect, List<String> created, List<String> present) {
    }

    /** Applies the DDL of the database behind {@code url} (H2 or PostgreSQL) in one transaction. */
    public static Installed install(String url, String user, String password) {
        String dialect = dialect(url);
        String script = Resources.text(Schema.class, "/galapagos/schema/" + dialect + ".sql");
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            List<String> before;
            try (Statement statement = connection.createStatement()) {
                if (dialect(url).equals("postgres")) {
                    // Nodes starting together would race on CREATE ... IF NOT EXISTS (a unique violation
                    // in the catalog); one lock per database makes them take turns.
                    statement.execute("SELECT pg_advisory_xact_lock(" + POSTGRES_LOCK + ")");
                }
                before = existingTables(connection, dialect);
                for (String sql : statements(script)) {
                    statement.execute(sql);
                }
            }
            connection.commit();
            List<String> created = TABLES.stream().filter(t -> !before.contains(t)).toList();
            return new Installed(dialect, created, before);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the journal tables at " + url + ": " + e.getMessage(), e);
        }
    }

    private static List<String> existingTables(Connection connection, String dialect) throws SQLException {
        List<String> present = new ArrayList<>();
        String schema = dialect.equals("h2") ? "PUBLIC" : "public";
        for (String table : TABLES) {
            try (ResultSet found = connection.getMetaData().getTables(null, schema, table, new String[]{"TABLE"})) {
                if (found.next()) {
                    present.add(table);
                }
            }
        }
        return present;
    }

    /**
     * The URL of an H2 database in a file of this process, with commits written to the file before they
     * return ({@code WRITE_DELAY=0}). H2's default writes them up to half a second late: a node killed in
     * that window loses events it had acknowledged, and its islands evaluate those candidates again.
     * It also lets go of the BLOBs a read handed out after {@link #LOB_TIMEOUT_MILLIS} rather than H2's five
     * minutes: the journal's readers take the bytes at once, and a fast run's history reader would otherwise
     * keep hundreds of thousands of them alive. Other URLs, and an explicit {@code WRITE_DELAY} or
     * {@code LOB_TIMEOUT}, are kept as they are.
     */
    public static String durable(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!inThisProcess(lower)) {
            return url;
        }
        return blobsLetGo(lower.contains(";write_delay=") ? url : url + ";WRITE_DELAY=0");
    }

    /**
     * The URL of an H2 database in a file of this process with read BLOBs let go of after
     * {@link #LOB_TIMEOUT_MILLIS} (see {@link #durable}); other URLs, and an explicit {@code LOB_TIMEOUT}, as
     * they are.
     */
    public static String blobsLetGo(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!inThisProcess(lower)) {
            return url;
        }
        String kept = lower.contains(";lob_timeout=") ? url : url + ";LOB_TIMEOUT=" + LOB_TIMEOUT_MILLIS;
        // an event of up to INPLACE_LOB_BYTES is kept in its row: H2 otherwise stores every payload as a LOB of
        // its own (a LOB map entry, a copy of it on insert, and a cleaner run per commit), about a tenth of a
        // node's CPU per evaluation; the bytes read back are the same, and rows written before stay as they are
        return lower.contains(";max_length_inplace_lob=") ? kept : kept + ";MAX_LENGTH_INPLACE_LOB=" + INPLACE_LOB_BYTES;
    }

    /** The largest BLOB an H2 journal of this process keeps in its row (H2's default: 256 bytes). */
    public static final int INPLACE_LOB_BYTES = 16_384;

    private static boolean inThisProcess(String lowerUrl) {
        return lowerUrl.startsWith("jdbc:h2:") && !lowerUrl.startsWith("jdbc:h2:mem:")
                && !lowerUrl.startsWith("jdbc:h2:tcp:") && !lowerUrl.startsWith("jdbc:h2:ssl:");
    }

    /** How long an H2 journal of this process keeps a BLOB a read handed out. */
    public static final int LOB_TIMEOUT_MILLIS = 10_000;

    static String dialect(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return "h2";
        } else if (url.startsWith("jdbc:postgresql:")) {
            return "postgres";
        }
        throw new IllegalArgumentException("unsupported journal database " + url + " (expected jdbc:h2: or jdbc:postgresql:)");
    }

    /** The script's statements: split at semicolons outside dollar-quoted bodies ({@code $$ ... $$}). */
    static List<String> statements(String script) {
        StringBuilder kept = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        String text = kept.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                quoted = !quoted;
                current.append("$$");
                i++;
            } else if (c == ';' && !quoted) {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
