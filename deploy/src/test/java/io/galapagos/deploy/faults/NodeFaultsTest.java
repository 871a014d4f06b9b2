package io.galapagos.deploy.faults;

import io.galapagos.controller.report.RunHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-process fault tests: {@code galapagos node} child JVMs on loopback over a real PostgreSQL
 * journal, killed with SIGKILL in the middle of a run. Each ends with the run completed and its stored
 * history checked: every proposed candidate evaluated exactly once, no budget overrun, the run's best
 * the best of the history.
 */
class NodeFaultsTest {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void membersComeUpOnPostgres() {
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1, List.of());
        NodeProcesses.Child worker = cluster.start("worker", "worker", 2, List.of());
        FaultCluster.awaitUp(controller, worker);
        worker.kill();
        assertThat(worker.process().isAlive()).isFalse();
    }
}
