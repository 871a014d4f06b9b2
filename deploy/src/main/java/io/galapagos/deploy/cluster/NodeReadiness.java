package io.galapagos.deploy.cluster;

import io.galapagos.controller.EngineConfig;
import io.galapagos.protocol.WorkPulling;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether a member can do its work, as a supervisor (systemd, Kubernetes) asks it: it is Up in the
 * cluster, its role's services run (a controller's islands and dispatcher have started; a worker sees a
 * dispatcher to pull work from), and its database answers a query within a short timeout.
 */
public final class NodeReadiness implements Supplier<CompletionStage<List<NodeReadiness.Check>>>, AutoCloseable {

    /** One check: its name, whether it passed, and a few words on what it saw (never a secret or a URL). */
    public record Check(String name, boolean ok, String detail) {
    }

    private final ClusterNode node;
    private final Duration timeout;
    /** One thread: a database that hangs holds one check, not one thread per probe. */
    private final ExecutorService database = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "galapagos-health-database");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Check> databaseCheck = CompletableFuture.completedFuture(new Check("database", false, "not asked yet"));

    public NodeReadiness(ClusterNode node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<List<Check>> get() {
        ActorSystem<?> system = node.system();
        List<CompletableFuture<Check>> checks = new ArrayList<>();
        MemberStatus status = Cluster.get(system).selfMember().status();
        checks.add(CompletableFuture.completedFuture(new Check("member", status == MemberStatus.up(),
                status.toString().toLowerCase(java.util.Locale.ROOT))));
        if (node.roles().contains(ClusterNode.CONTROLLER_ROLE)) {
            boolean started;
            try {
                node.engine();
                started = true;
            } catch (IllegalStateException e) {
                started = false;
            }
            checks.add(CompletableFuture.completedFuture(new Check("controller", started,
                    started ? "islands and dispatcher started" : "waiting for min-controllers")));
        }
        if (node.roles().contains(ClusterNode.WORKER_ROLE)) {
            checks.add(AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                            replyTo -> Receptionist.find(WorkPulling.DISPATCHER, replyTo), timeout, system.scheduler())
                    .toCompletableFuture()
                    .thenApply(listing -> listing.getServiceInstances(WorkPulling.DISPATCHER).isEmpty()
                            ? new Check("worker", false, "no dispatcher to pull work from")
                            : new Check("worker", true, "sandbox pool started, dispatcher found"))
                    .exceptionally(failure -> new Check("worker", false, "the receptionist did not answer")));
        }
        checks.add(database());
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(done -> checks.stream().map(CompletableFuture::join).toList());
    }

    /** The database check; while one still waits for its answer, probes share it instead of queueing more. */
    private synchronized CompletableFuture<Check> database() {
        if (databaseCheck.isDone()) {
            EngineConfig.Store store = node.engineConfig().store();
            databaseCheck = CompletableFuture.supplyAsync(() -> query(store), database);
        }
        return databaseCheck.copy().completeOnTimeout(new Check("database", false,
                "no answer within " + timeout.toMillis() + " ms"), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Check query(EngineConfig.Store store) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        try (Connection connection = DriverManager.getConnection(store.url(), store.user(), store.password())) {
            return connection.isValid(seconds) ? new Check("database", true, "answers")
                    : new Check("database", false, "no answer within " + seconds + " s");
        } catch (SQLException e) {
            // the SQL state, not the message: a driver's message may quote the URL or the user
            return new Check("database", false, "unreachable (SQL state " + e.getSQLState() + ")");
        }
    }

    @Override
    public void close() {
        database.shutdownNow();
    }
}
