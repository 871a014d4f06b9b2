package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import com.typesafe.config.Config;
import io.galapagos.controller.store.Schema;
import io.galapagos.deploy.cluster.MemberTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client flags of {@code run|resume|status --cluster}, the members table and the status report, in this JVM. */
@Timeout(60)
class ClusterClientOptionsTest {



    private static ClusterOptions parse(String... args) {
        StatusCommand status = new StatusCommand();
        new CommandLine(status).parseArgs(args);
        return status.cluster;
    }

    @Test
    void clusterTakesCommaSeparatedAndRepeatedAddressesAllOfWhichBecomeSeeds() {
        ClusterOptions options = parse("--cluster", "10.0.0.1:25520,10.0.0.2:25520", "--cluster", "10.0.0.3:25520",
                "--db-url", "jdbc:postgresql://db/galapagos");

        assertThat(options.addresses()).containsExactly("10.0.0.1:25520", "10.0.0.2:25520", "10.0.0.3:25520");
        Config config = options.clientConfig(Optional.empty());
        assertThat(config.getStringList("pekko.cluster.seed-nodes")).containsExactly("pekko://galapagos@10.0.0.1:25520",
                "pekko://galapagos@10.0.0.2:25520", "pekko://galapagos@10.0.0.3:25520");
        assertThat(config.getStringList("pekko.cluster.roles")).isEmpty();
    }

    @Test
    void timeoutsHaveDefaultsAndFlagsOverrideThem() {
        Config defaults = parse("--cluster", "h:1", "--db-url", "jdbc:postgresql://db/g").clientConfig(Optional.empty());
        assertThat(defaults.getDuration("galapagos.client.join-timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.getDuration("galapagos.client.answer-timeout")).isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.getDuration("galapagos.client.read-timeout")).isEqualTo(Duration.ofSeconds(20));

        Config flags = parse("--cluster", "h:1", "--db-url", "jdbc:postgresql://db/g", "--join-timeout", "5s",
                "--answer-timeout", "1m", "--read-timeout", "3s").clientConfig(Optional.empty());
        assertThat(flags.getDuration("galapagos.client.join-timeout")).isEqualTo(Duration.ofSeconds(5));
        assertThat(flags.getDuration("galapagos.client.answer-timeout")).isEqualTo(Duration.ofMinutes(1));
        assertThat(flags.getDuration("galapagos.client.read-timeout")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void badAddressesAndDurationsAreNamedInOneLine() {
        assertThatThrownBy(() -> parse("--cluster", "h:1,nohost", "--db-url", "jdbc:postgresql://db/g")
                .clientConfig(Optional.empty())).hasMessage("bad seed node 'nohost' (expected HOST:PORT)");
        assertThatThrownBy(() -> parse("--cluster", "h:1", "--join-timeout", "soon").clientConfig(Optional.empty()))
                .hasMessage("--join-timeout: bad duration 'soon' (e.g. 30s, 2m)");
        assertThatThrownBy(() -> parse("--cluster", "h:1", "--answer-timeout", "0s").clientConfig(Optional.empty()))
                .hasMessage("--answer-timeout must be positive, not 0s");

        Outcome outcome = galapagos("status", "--cluster", "h:1", "--db-url", "jdbc:postgresql://db/g", "--read-timeout", "x");
        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip()).isEqualTo("galapagos status: --read-timeout: bad duration 'x' (e.g. 30s, 2m)");
    }

    @Test
    void timeoutFlagsWithoutClusterAreRefused(@TempDir Path out) {
        Outcome outcome = galapagos("status", "--out", out.toString(), "--join-timeout", "5s");

        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err()).contains("need --cluster");
    }

    @Test
    void statusOfAnUnreachableDatabaseFailsWithOneLine() {
        Outcome outcome = galapagos("status", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:postgresql://127.0.0.1:1/none",
                "--db-user", "nobody", "--read-timeout", "2s");

        assertThat(outcome.exitCode()).isEqualTo(Galapagos.EXIT_FAILED);
        assertThat(outcome.err().strip().lines()).singleElement().asString()
                .startsWith("galapagos status: cluster unreachable: cannot read the cluster's members at jdbc:postgresql://127.0.0.1:1/none");
    }

    @Test
    void statusReadsMembersFromTheDatabaseAndNamesTheDispatcherIslandsAndStaleMembers(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1";
        Schema.install(url, "sa", "");
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            MemberTable.write(connection, new MemberTable.Report("pekko://galapagos@10.0.0.1:25520", List.of("controller"),
                    "a", 11, "up", true, List.of("Run", "Island"), List.of("r/0", "r/1")), true);
            MemberTable.write(connection, new MemberTable.Report("pekko://galapagos@10.0.0.2:25520", List.of("worker"),
                    "b", 12, "up", false, List.of(), List.of()), true);
            // a second write keeps the row (one per address)
            MemberTable.write(connection, new MemberTable.Report("pekko://galapagos@10.0.0.2:25520", List.of("worker"),
                    "b", 12, "up", false, List.of(), List.of()), false);
            connection.createStatement().executeUpdate("UPDATE galapagos_members SET last_seen = "
                    + "DATEADD(SECOND, -60, CURRENT_TIMESTAMP) WHERE address = 'pekko://galapagos@10.0.0.2:25520'");
        }

        Outcome text = galapagos("status", "--cluster", "10.0.0.1:25520", "--db-url", url, "--db-user", "sa");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("cluster: 2 members (1 stale); dispatcher on pekko://galapagos@10.0.0.1:25520; "
                + "shard coordinators on pekko://galapagos@10.0.0.1:25520");
        assertThat(text.out().lines().filter(l -> l.contains("10.0.0.1:25520 ")).findFirst().orElseThrow())
                .contains("controller").contains("dispatcher").contains("coordinators Run,Island").contains("islands r/0 r/1")
                .doesNotContain("STALE");
        assertThat(text.out().lines().filter(l -> l.contains("10.0.0.2:25520 ")).findFirst().orElseThrow())
                .contains("worker").contains("STALE: last seen");

        Outcome json = galapagos("status", "--cluster", "10.0.0.1:25520", "--db-url", url, "--db-user", "sa", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> cluster = (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(json.out(), Map.class).get("cluster");
        assertThat(cluster).containsEntry("dispatcher", "pekko://galapagos@10.0.0.1:25520")
                .containsEntry("stale", List.of("pekko://galapagos@10.0.0.2:25520"));
        assertThat((List<?>) cluster.get("members")).hasSize(2);

        Outcome unknown = galapagos("status", "--cluster", "10.0.0.1:25520", "--db-url", url, "--db-user", "sa",
                "--run-id", "nope");
        assertThat(unknown.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(unknown.err().strip()).isEqualTo("galapagos status: run not found: the cluster's database holds no run 'nope'");
    }

    @Test
    void resumeOfAnUnknownRunIsAnsweredByTheDatabaseWithoutJoining(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1";
        Schema.install(url, "sa", "");

        // no member listens at the address and the join timeout is long: only the database can answer in time
        Outcome resume = galapagos("resume", "--cluster", "127.0.0.1:1", "--db-url", url, "--db-user", "sa",
                "--run-id", "nope", "--join-timeout", "10m");

        assertThat(resume.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(resume.err().strip()).isEqualTo("galapagos resume: run not found: the cluster's database holds no run 'nope'");
    }

    @Test
    void nodeHeapSizeIsChecked() {
        NodeCommand.checkHeap("2g");
        NodeCommand.checkHeap("512m");
        assertThatThrownBy(() -> NodeCommand.checkHeap("lots")).hasMessage("--heap: bad size 'lots' (e.g. 512m, 2g)");
    }
}
