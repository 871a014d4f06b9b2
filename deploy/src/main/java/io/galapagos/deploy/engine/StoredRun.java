package io.galapagos.deploy.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.Run;
import org.apache.pekko.actor.ReflectiveDynamicAccess;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperFactory;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.jackson.JacksonSerializer;
import scala.Option;

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
 * A run's history read straight from the journal's rows over JDBC, deserialized with the object mapper
 * Pekko's {@code jackson-cbor} binding builds from the same configuration. It starts no actor system, so
 * {@code status} answers in well under a second, also while the run goes on.
 */
public final class StoredRun {

    /** Pekko's serializer id of the {@code jackson-cbor} binding, which every event of ours is written with. */
    private static final int JACKSON_CBOR = 33;

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
        ObjectMapper mapper = JacksonObjectMapperProvider.createObjectMapper("jackson-cbor", Option.apply(new CBORFactory()),
                new JacksonObjectMapperFactory(), JacksonObjectMapperProvider.configForBinding("jackson-cbor", config),
                new ReflectiveDynamicAccess(StoredRun.class.getClassLoader()), Option.empty());
        // a missing database is not created by a reader
        String readUrl = url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("IFEXISTS")
                ? url + ";IFEXISTS=TRUE" : url;
        try (Connection connection = DriverManager.getConnection(readUrl, config.getString("galapagos.store.user"),
                config.getString("galapagos.store.password"))) {
            connection.setReadOnly(true);
            StoredRun stored = new StoredRun(connection, mapper);
            List<Run.Event> runEvents = new ArrayList<>();
            for (RunHistory.StoredEvent event : stored.events(Run.TYPE_KEY.name() + "|" + runId, Run.Event.class)) {
                runEvents.add((Run.Event) event.event());
            }
            return RunHistory.of(runEvents, islandId -> stored.events(Island.TYPE_KEY.name() + "|" + islandId,
                    Island.Event.class));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the journal: " + firstLine(e.getMessage()), e);
        }
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

    private List<RunHistory.StoredEvent> events(String persistenceId, Class<?> kind) {
        List<RunHistory.StoredEvent> events = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT sequence_number, write_timestamp, event_ser_id,"
                + " event_ser_manifest, event_payload FROM event_journal WHERE persistence_id = ? AND deleted = false"
                + " ORDER BY sequence_number")) {
            query.setString(1, persistenceId);
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
            byte[] bytes = JacksonSerializer.isGZipped(payload)
                    ? new GZIPInputStream(new ByteArrayInputStream(payload)).readAllBytes() : payload;
            return mapper.readValue(bytes, type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(where + " is of an unknown class " + className, e);
        } catch (IOException e) {
            throw new IllegalStateException(where + " cannot be read: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
