package io.galapagos.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.pekko.cluster.Member;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Fencing of removed controllers (the members that write to the journal) in a PostgreSQL database.
 * Each controller gets a random token for its life:
 * its journal connections carry it as {@code application_name}, and its cluster roles carry it as
 * {@code fence-<token>} so that every other member knows it. Once the cluster downs a member, the
 * survivors insert its token into {@code galapagos_fenced}; a trigger then refuses every commit of a
 * journal, snapshot or state row from that token (see the schema), whatever the member's threads were
 * doing when it froze.
 */
public final class MemberFence {

    /** Prefix of the role that carries a member's token. */
    static final String ROLE_PREFIX = "fence-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url;
    private final String user;
    private final String password;

    public MemberFence(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Whether fencing applies to the store at {@code url}: PostgreSQL only (an H2 journal serves one node). */
    public static boolean supported(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** A fresh token: {@code galapagos-} and 16 random hex digits, well within PostgreSQL's 63 bytes. */
    public static String newToken() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "galapagos-" + HexFormat.of().formatHex(bytes);
    }

    /**
     * The member's configuration with its token: as the {@code ApplicationName} of the journal's
     * connections and as an extra cluster role.
     */
    public static Config carrying(Config config, String token) {
        String url = config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
        String tagged = url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + token;
        List<String> roles = new ArrayList<>(config.getStringList("pekko.cluster.roles"));
        roles.add(ROLE_PREFIX + token);
        return ConfigFactory.parseMap(java.util.Map.of(
                        "pekko-persistence-jdbc.shared-databases.slick.db.url", tagged))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
                .withFallback(config);
    }

    /** The token a member carries in its roles, if it has one. */
    static Optional<String> tokenOf(Member member) {
        for (String role : member.getRoles()) {
            if (role.startsWith(ROLE_PREFIX)) {
                return Optional.of(role.substring(ROLE_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    /** Fences {@code token} (of the member at {@code address}); fencing it again changes nothing. */
    public void fence(String token, String address) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO galapagos_fenced (token, address) VALUES (?, ?) ON CONFLICT (token) DO NOTHING")) {
            insert.setString(1, token);
            insert.setString(2, address);
            insert.executeUpdate();
        }
    }

    /** Whether {@code token} is fenced. */
    public boolean isFenced(String token) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM galapagos_fenced WHERE token = ?")) {
            select.setString(1, token);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
