package io.galapagos.deploy.cluster;

import io.galapagos.controller.island.Island;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.EngineConfig;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes this member's row of {@link MemberTable} every {@code galapagos.members.heartbeat-interval}
 * from one daemon thread of its own with its own JDBC connection: no actor thread and no connection of
 * the journal's pool waits for it. The row goes when the member leaves gracefully; a killed member's
 * row stays and turns stale.
 */
public final class MemberHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(MemberHeartbeat.class);
    private static final Duration SHARD_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterNode node;
    private final EngineConfig.Store store;
    private final ScheduledExecutorService thread;
    private final String host;
    private Connection connection;
    private boolean written;
    private boolean failing;

    private MemberHeartbeat(ClusterNode node, EngineConfig.Store store) {
        this.node = node;
        this.store = store;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "galapagos-member-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.host = hostName();
    }

    /** Starts writing the row of {@code node} (a member with roles); it stops at the node's coordinated shutdown. */
    public static MemberHeartbeat start(ClusterNode node, Duration interval) {
        MemberHeartbeat heartbeat = new MemberHeartbeat(node, node.engineConfig().store());
        heartbeat.thread.scheduleWithFixedDelay(heartbeat::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(),
                "galapagos-member-heartbeat", () -> CompletableFuture.supplyAsync(() -> {
                    heartbeat.stop();
                    return Done.getInstance();
                }, heartbeat.thread).exceptionally(e -> Done.getInstance()));
        return heartbeat;
    }

    /** What this member is right now: roles, status, and what the oldest controller hosts. */
    MemberTable.Report report() {
        ActorSystem<Void> system = node.system();
        org.apache.pekko.cluster.Cluster cluster = org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system));
        Member self = cluster.selfMember();
        boolean controller = node.roles().contains(ClusterNode.CONTROLLER_ROLE);
        // singletons (the dispatcher, the shard coordinators) live on the oldest Up or Leaving controller
        Optional<Member> oldest = Optional.empty();
        for (Member member : cluster.state().getMembers()) {
            if (member.hasRole(ClusterNode.CONTROLLER_ROLE)
                    && (member.status() == MemberStatus.up() || member.status() == MemberStatus.leaving())
                    && (oldest.isEmpty() || member.isOlderThan(oldest.get()))) {
                oldest = Optional.of(member);
            }
        }
        boolean hostsSingletons = controller && oldest.isPresent() && oldest.get().equals(self);
        List<String> coordinators = hostsSingletons ? List.of(Run.TYPE_KEY.name(), Island.TYPE_KEY.name()) : List.of();
        return new MemberTable.Report(self.address().toString(), new ArrayList<>(node.roles()), host,
                ProcessHandle.current().pid(), self.status().toString().toLowerCase(java.util.Locale.ROOT),
                hostsSingletons, coordinators, controller ? islands(system) : List.of());
    }

    private static List<String> islands(ActorSystem<Void> system) {
        try {
            ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                    ClusterSharding.get(system).shardState(), replyTo -> new GetShardRegionState(Island.TYPE_KEY, replyTo),
                    SHARD_QUERY_TIMEOUT, system.scheduler()).toCompletableFuture().get(SHARD_QUERY_TIMEOUT.toMillis() + 500,
                    TimeUnit.MILLISECONDS);
            Set<String> ids = new TreeSet<>();
            for (ShardRegion.ShardState shard : state.getShards()) {
                ids.addAll(shard.getEntityIds());
            }
            return List.copyOf(ids);
        } catch (Exception e) {
            // a region that is still starting answers next time
            return List.of();
        }
    }

    private void beat() {
        try {
            MemberTable.Report report = report();
            if (connection == null) {
                connection = DriverManager.getConnection(store.url(), store.user(), store.password());
                connection.setAutoCommit(true);
                forgetLongGone(connection);
            }
            MemberTable.write(connection, report, !written);
            written = true;
            if (failing) {
                LOG.info("the members table at {} is written again", store.url());
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot write this member's row of galapagos_members at {}: {}", store.url(),
                        MemberTable.oneLine(e.getMessage()));
                failing = true;
            }
            closeConnection();
        }
    }

    /** Rows of members not seen for a day: addresses of machines long gone. */
    private static void forgetLongGone(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM galapagos_members WHERE last_seen < CURRENT_TIMESTAMP - INTERVAL '1' DAY");
        }
    }

    private void stop() {
        thread.shutdown();
        try {
            if (written) {
                if (connection == null) {
                    connection = DriverManager.getConnection(store.url(), store.user(), store.password());
                }
                MemberTable.remove(connection, node.address());
            }
        } catch (SQLException e) {
            LOG.warn("cannot remove this member's row of galapagos_members: {}", MemberTable.oneLine(e.getMessage()));
        } finally {
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the connection is broken already
            }
            connection = null;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
