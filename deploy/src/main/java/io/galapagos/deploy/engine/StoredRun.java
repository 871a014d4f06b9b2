package io.galapagos.deploy.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.typesafe.config.Config;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.Run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A run's history read straight from the journal's rows over JDBC. It starts no actor system and loads
 * none of Pekko: the events are read with {@link #JOURNAL_MAPPER}, an object mapper set up as Pekko's
 * {@code jackson-cbor} binding sets up its own from our configuration, so that {@code status} and
 * {@code best} answer within a second, also while the run goes on.
 */
public final class StoredRun {

    /** Pekko's serializer id of the {@code jackson-cbor} binding, which every event of ours is written with. */
    private static final int JACKSON_CBOR = 33;

    /**
     * Reads what Pekko's {@code jackson-cbor} serializer wrote: the modules, features, visibility and read
     * limits its binding has under {@code pekko.serialization.jackson} in our configuration (parameter names
     * for properties, {@code Optional}, {@code java.time}; unknown properties ignored; fields of any
     * visibility). Our events hold no actor references, so Pekko's own modules have nothing to read.
     */
    static final ObjectMapper JOURNAL_MAPPER = journalMapper();

    private static ObjectMapper journalMapper() {
        CBORFactory factory = CBORFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(1000).maxNumberLength(1000).maxStringLength(20_000_000).maxNameLength(50_000)
                .maxDocumentLength(-1).maxTokenCount(-1).build()).build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.registerModule(new ParameterNamesModule(JsonCreator.Mode.PROPERTIES));
        mapper.registerModule(new Jdk8Module());
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return mapper;
    }

    private final Connection connection;
    private final ObjectMapper mapper;

    private StoredRun(Connection connection, ObjectMapper mapper) {
        this.connection = connection;
        this.mapper = mapper;
    }

    /**
     * Reads the run {@code runId} from the journal {@code config}'s {@code galapagos.store} names.
     *
     * @throws IllegalStateException in one line when the journal cannot be opened or read
     */
    public static RunHistory read(Config config, String runId) {
        return read(config, config.getString("galapagos.store.url"), runId);
    }

    /** As {@link #read(Config, String)}, from the database at {@code url}. */
    public static RunHistory read(Config config, String url, String runId) {
        try (Connection connection = open(config, url)) {
            StoredRun stored = new StoredRun(connection, JOURNAL_MAPPER);
            return RunHistory.of(stored.runEvents(runId, false),
                    islandId -> stored.events(Island.ENTITY_TYPE + "|" + islandId, Island.Event.class));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the journal: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The run's own events that a resume needs (settings, budget extensions, stops, completion, and the last
     * event for the run's elapsed time), without its islands' and without the progress reports and clock
     * ticks in between, which the run journals by the thousand on a long run: read in the same short time
     * however long the run has gone on. The journal stays open until the answer is closed (see
     * {@link HeldJournal}).
     *
     * @throws IllegalStateException in one line when the journal cannot be opened or read
     */
    public static HeldJournal holdRun(Config config, String runId) {
        Connection connection;
        try {
            connection = open(config, config.getString("galapagos.store.url"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the journal: " + firstLine(e.getMessage()), e);
        }
        try {
            return new HeldJournal(RunHistory.of(new StoredRun(connection, JOURNAL_MAPPER).runEvents(runId, true),
                    islandId -> List.of()), connection);
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * A run's own events and the connection they were read through, which keeps an embedded journal open
     * while held: a process that starts its node meanwhile opens H2's file once, rather than closing it and
     * opening it again (an H2 close writes and compacts the file, which takes seconds on a long run's journal).
     */
    public static final class HeldJournal implements AutoCloseable {
        private final RunHistory history;
        private final Connection connection;

        private HeldJournal(RunHistory history, Connection connection) {
            this.history = history;
            this.connection = connection;
        }

        public RunHistory history() {
            return history;
        }

        /** Lets the journal go; the database closes unless another connection of this process holds it. */
        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // only read through: nothing of ours is lost with it
            }
        }
    }

    /** A read-only connection; a missing database is not created by a reader. */
    private static Connection open(Config config, String url) throws SQLException {
        String readUrl = url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("IFEXISTS")
                ? url + ";IFEXISTS=TRUE" : url;
        Connection connection = DriverManager.getConnection(readUrl, config.getString("galapagos.store.user"),
                config.getString("galapagos.store.password"));
        try {
            connection.setReadOnly(true);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * The ids of the runs the journal {@code config}'s {@code galapagos.store} names holds, in order.
     *
     * @throws IllegalStateException in one line when the journal cannot be opened or read
     */
    public static List<String> runIds(Config config) {
        String url = config.getString("galapagos.store.url");
        String readUrl = url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("IFEXISTS")
                ? url + ";IFEXISTS=TRUE" : url;
        String prefix = Run.ENTITY_TYPE + "|";
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(readUrl, config.getString("galapagos.store.user"),
                config.getString("galapagos.store.password"));
             PreparedStatement query = connection.prepareStatement("SELECT DISTINCT persistence_id FROM event_journal"
                     + " WHERE persistence_id LIKE ? ORDER BY persistence_id")) {
            query.setString(1, prefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1).substring(prefix.length()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the journal: " + firstLine(e.getMessage()), e);
        }
        return ids;
    }

    /**
     * Writes what an H2 journal committed to its file now rather than after H2's write delay: a process that
     * ends at once after a stop keeps every event it journalled. Other databases write on commit.
     */
    public static void flush(Config config) {
        String url = config.getString("galapagos.store.url");
        if (!url.startsWith("jdbc:h2:")) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(url + ";IFEXISTS=TRUE",
                config.getString("galapagos.store.user"), config.getString("galapagos.store.password"));
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            // nothing open to flush, or the journal is closed already (written in full)
        }
    }

    /** Run events that only move the run's clock: one per island report, and one per idle stretch. */
    private static final List<String> TIME_EVENTS = List.of(Run.ProgressRecorded.class.getName(),
            Run.ClockAdvanced.class.getName());

    /**
     * The run's events; {@code withoutTime}: all but its progress reports and clock ticks, and its last event
     * whatever it is (each event carries the run's elapsed time, which only grows).
     */
    private List<Run.Event> runEvents(String runId, boolean withoutTime) {
        String persistenceId = Run.ENTITY_TYPE + "|" + runId;
        List<Run.Event> events = new ArrayList<>();
        List<RunHistory.StoredEvent> stored;
        if (withoutTime) {
            // the manifest is the class name, with "#<version>" when the class declares migrations
            String notTime = TIME_EVENTS.stream().map(name -> "event_ser_manifest <> ? AND event_ser_manifest NOT LIKE ?")
                    .collect(java.util.stream.Collectors.joining(" AND "));
            List<String> parameters = new ArrayList<>(List.of(persistenceId));
            TIME_EVENTS.forEach(name -> parameters.addAll(List.of(name, name + "#%")));
            parameters.add(persistenceId);
            stored = events(persistenceId, Run.Event.class, " AND (" + notTime + " OR sequence_number = (SELECT"
                    + " MAX(sequence_number) FROM event_journal WHERE persistence_id = ? AND deleted = false))", parameters);
        } else {
            stored = events(persistenceId, Run.Event.class);
        }
        stored.forEach(event -> events.add((Run.Event) event.event()));
        return events;
    }

    private List<RunHistory.StoredEvent> events(String persistenceId, Class<?> kind) {
        return events(persistenceId, kind, "", List.of(persistenceId));
    }

    /** The events of {@code persistenceId} that {@code condition} (with {@code parameters} after the id) selects. */
    private List<RunHistory.StoredEvent> events(String persistenceId, Class<?> kind, String condition,
                                                List<String> parameters) {
        List<RunHistory.StoredEvent> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT sequence_number, write_timestamp, event_ser_id,"
                + " event_ser_manifest, event_payload FROM event_journal WHERE persistence_id = ? AND deleted = false"
                + condition + " ORDER BY sequence_number")) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(new RunHistory.StoredEvent(event(persistenceId, rows.getLong(1), rows.getInt(3),
                            rows.getString(4), rows.getBytes(5), kind), rows.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the journal of " + persistenceId + ": " + firstLine(e.getMessage()), e);
        }
        return events;
    }

    private Object event(String persistenceId, long sequence, int serializer, String manifest, byte[] payload, Class<?> kind) {
        String where = persistenceId + " event " + sequence;
        if (serializer != JACKSON_CBOR) {
            throw new IllegalStateException(where + " has serializer " + serializer + ", not jackson-cbor");
        }
        // the manifest is the class name, with "#<version>" when the class declares migrations
        String className = manifest.contains("#") ? manifest.substring(0, manifest.indexOf('#')) : manifest;
        try {
            Class<?> type = Class.forName(className, false, StoredRun.class.getClassLoader());
            if (!kind.isAssignableFrom(type)) {
                throw new IllegalStateException(where + " is a " + className + ", not a " + kind.getSimpleName());
            }
            byte[] bytes = gzipped(payload)
                    ? new GZIPInputStream(new ByteArrayInputStream(payload)).readAllBytes() : payload;
            return mapper.readValue(bytes, type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(where + " is of an unknown class " + className, e);
        } catch (IOException e) {
            throw new IllegalStateException(where + " cannot be read: " + firstLine(e.getMessage()), e);
        }
    }

    /** Whether a payload starts with gzip's magic bytes, as Pekko's serializer compresses large ones. */
    private static boolean gzipped(byte[] payload) {
        return payload.length >= 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b;
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
