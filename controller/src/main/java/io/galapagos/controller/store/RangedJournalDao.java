package io.galapagos.controller.store;

import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The journal's data access with one query changed: the highest sequence number of an entity, which every
 * recovery asks for. pekko-persistence-jdbc asks for the maximum over all of the entity's events, which H2
 * answers by reading them all (an island of a long run has hundreds of thousands: 2.5-5 s each on an idle
 * machine at 755,000, past the journal's 10 s timeout for four islands at once on a busy one, so a resumed
 * run took longer the longer it had run). Recovery asks from the sequence number of the snapshot it loaded,
 * and no event below that number can be the highest, so this asks only for those from it on, which both H2
 * and PostgreSQL answer from the primary key's range; with none there (never, since events are not
 * deleted), the maximum over all.
 */
public final class RangedJournalDao extends DefaultJournalDao {

    private final String highestFromSql;

    public RangedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                            Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        this.highestFromSql = highestFromSql(journalConfig.eventJournalTableConfiguration());
    }

    @Override
    public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
        if (fromSequenceNr <= 0) {
            return super.highestSequenceNr(persistenceId, fromSequenceNr);
        }
        SimpleJdbcAction<OptionalLong> query = SimpleJdbcAction.apply(context ->
                highestFrom(context.connection(), highestFromSql, persistenceId, fromSequenceNr));
        @SuppressWarnings({"unchecked", "rawtypes"}) // Slick's effect types have no Java spelling
        Future<OptionalLong> ranged = db().run((DBIOAction) query);
        return ranged.flatMap(highest -> highest.isPresent()
                ? Future.<Object>successful(highest.getAsLong())
                : super.highestSequenceNr(persistenceId, fromSequenceNr), ec());
    }

    /** The statement for {@code table}: its persistence id and sequence number, from a sequence number on. */
    static String highestFromSql(EventJournalTableConfiguration table) {
        String name = table.schemaName().isDefined()
                ? quoted(table.schemaName().get()) + "." + quoted(table.tableName()) : quoted(table.tableName());
        String sequence = quoted(table.columnNames().sequenceNumber());
        return "SELECT MAX(" + sequence + ") FROM " + name + " WHERE " + quoted(table.columnNames().persistenceId())
                + " = ? AND " + sequence + " >= ?";
    }

    /** The highest sequence number of {@code persistenceId}'s events from {@code from} on; empty when none. */
    static OptionalLong highestFrom(Connection connection, String sql, String persistenceId, long from) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, persistenceId);
            statement.setLong(2, from);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return OptionalLong.empty();
                }
                long highest = rows.getLong(1);
                return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(highest);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the highest sequence number of " + persistenceId + ": "
                    + e.getMessage(), e);
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
