package io.galapagos.controller.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * A process that installs the schema on an H2 file and then commits rows one at a time, printing each
 * row's number once its commit returned, until it is killed ({@link SchemaTest}).
 */
public final class KilledWriter {

    private KilledWriter() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Schema.install(url, "sa", "");
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            connection.createStatement().execute("CREATE TABLE acknowledged (id INT PRIMARY KEY, payload VARCHAR)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO acknowledged VALUES (?, ?)")) {
                for (int id = 0; ; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "x".repeat(500));
                    insert.executeUpdate();
                    System.out.println(id);
                    System.out.flush();
                }
            }
        }
    }
}
