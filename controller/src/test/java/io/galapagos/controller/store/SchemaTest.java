package io.galapagos.controller.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SchemaTest {

    @Test
    void installingTwiceOnTheSameH2FileKeepsTheTables(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false";
        Schema.install(url, "sa", "");
        Schema.install(url, "sa", "");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet tables = c.getMetaData().getTables(null, "PUBLIC", "%", new String[]{"TABLE"})) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME"));
            }
            assertThat(names).contains("event_journal", "event_tag", "snapshot", "durable_state");
        }
    }

    // integration lane: starts a JVM and kills it mid-write
    @Test
    @Tag("integration")
    void anH2JournalKeepsEveryAcknowledgedCommitOfAProcessKilledMidWrite(@TempDir Path dir) throws Exception {
        String url = Schema.durable("jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false");
        Path out = dir.resolve("acknowledged.txt");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledWriter.class.getName(), url)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> acknowledged(out) >= 3000 || !writer.isAlive());
        } finally {
            writer.destroyForcibly().waitFor();
        }
        int acknowledged = acknowledged(out);
        assertThat(acknowledged).as("rows the writer committed before it was killed").isGreaterThanOrEqualTo(3000);
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM acknowledged")) {
            rows.next();
            assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(acknowledged);
        }
    }

    private static int acknowledged(Path out) throws Exception {
        return Files.exists(out) ? (int) Files.readAllLines(out).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    @Test
    void onlyH2FilesOfThisProcessAreMadeToWriteAtEachCommitAndLetGoOfReadBlobsSoon() {
        assertThat(Schema.durable("jdbc:h2:file:/runs/a/journal/galapagos;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/runs/a/journal/galapagos;AUTO_SERVER=TRUE;WRITE_DELAY=0;LOB_TIMEOUT=10000"
                        + ";MAX_LENGTH_INPLACE_LOB=16384");
        assertThat(Schema.durable("jdbc:h2:./journal"))
                .isEqualTo("jdbc:h2:./journal;WRITE_DELAY=0;LOB_TIMEOUT=10000;MAX_LENGTH_INPLACE_LOB=16384");
        assertThat(Schema.durable("jdbc:h2:file:/j;write_delay=100;LOB_TIMEOUT=5;max_length_inplace_lob=99"))
                .isEqualTo("jdbc:h2:file:/j;write_delay=100;LOB_TIMEOUT=5;max_length_inplace_lob=99");
        for (String kept : List.of("jdbc:h2:mem:galapagos;DB_CLOSE_DELAY=-1", "jdbc:h2:tcp://127.0.0.1:9092/galapagos",
                "jdbc:postgresql://db/galapagos")) {
            assertThat(Schema.durable(kept)).isEqualTo(kept);
        }
    }

    @Test
    void theDatabaseOpenedThroughTheUrlHasTheShortBlobTimeout(@TempDir Path dir) throws Exception {
        String url = Schema.durable("jdbc:h2:file:" + dir.resolve("journal"));
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet setting = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'LOB_TIMEOUT'")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getString(1)).isEqualTo(String.valueOf(Schema.LOB_TIMEOUT_MILLIS));
        }
    }

    @Test
    void payloadsUpToTheInPlaceLimitAndLargerOnesReadBackAsWritten(@TempDir Path dir) throws Exception {
        String url = Schema.durable("jdbc:h2:file:" + dir.resolve("journal"));
        byte[] small = new byte[Schema.INPLACE_LOB_BYTES];
        byte[] large = new byte[Schema.INPLACE_LOB_BYTES * 4];
        new java.util.Random(3).nextBytes(small);
        new java.util.Random(4).nextBytes(large);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE payloads (id INT PRIMARY KEY, payload BLOB NOT NULL)");
            try (var insert = c.prepareStatement("INSERT INTO payloads VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setBytes(2, small);
                insert.execute();
                insert.setInt(1, 2);
                insert.setBytes(2, large);
                insert.execute();
            }
            try (ResultSet setting = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM "
                    + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'")) {
                assertThat(setting.next()).isTrue();
                assertThat(setting.getString(1)).isEqualTo(String.valueOf(Schema.INPLACE_LOB_BYTES));
            }
            try (ResultSet read = c.createStatement().executeQuery("SELECT payload FROM payloads ORDER BY id")) {
                assertThat(read.next()).isTrue();
                assertThat(read.getBytes(1)).isEqualTo(small);
                assertThat(read.next()).isTrue();
                assertThat(read.getBytes(1)).isEqualTo(large);
            }
        }
    }

    @Test
    void anUnsupportedDatabaseIsRefusedByName() {
        assertThatThrownBy(() -> Schema.install("jdbc:mysql://x/y", "u", "p")).hasMessageContaining("jdbc:mysql://x/y");
    }
}
