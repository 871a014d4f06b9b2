package io.galapagos.controller.store;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The highest sequence number a recovery asks for, from the snapshot's sequence number on, read from the range
 * of the shipped H2 journal table the default configuration names.
 */
@Timeout(60)
class RangedJournalDaoTest {

    @Test
    void theHighestSequenceNumberFromASnapshotOnIsTheEntitysHighest(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false";
        Schema.install(url, "sa", "");
        String sql = RangedJournalDao.highestFromSql(new EventJournalTableConfiguration(
                ConfigFactory.load().getConfig("jdbc-journal")));
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            insert(c, "Island|run/0", 1, 500);
            insert(c, "Island|run/1", 1, 700);

            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/0", 1)).hasValue(500);
            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/0", 400)).hasValue(500);
            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/0", 500)).hasValue(500);
            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/1", 650)).hasValue(700);
            // nothing from there on: the caller asks for the maximum over all instead
            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/0", 501)).isEqualTo(OptionalLong.empty());
            assertThat(RangedJournalDao.highestFrom(c, sql, "Island|run/2", 1)).isEqualTo(OptionalLong.empty());
        }
    }

    private static void insert(Connection c, String persistenceId, long from, long to) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO \"event_journal\" (\"persistence_id\","
                + " \"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
                + " \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'w', 0, '', X'00', 1, '')")) {
            for (long sequence = from; sequence <= to; sequence++) {
                insert.setString(1, persistenceId);
                insert.setLong(2, sequence);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
