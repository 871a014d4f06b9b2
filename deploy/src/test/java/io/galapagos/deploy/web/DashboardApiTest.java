package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.deploy.Galapagos;
import io.galapagos.deploy.faults.NodeProcesses;
import io.galapagos.deploy.faults.PausingTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's API over real HTTP: a run in its own process serves it while it goes, and
 * {@code galapagos dashboard} serves the finished folder afterwards.
 */
// integration lane: a node process serving the dashboard
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardApiTest {

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    /** A sample line of Prometheus's text format: name, optional labels, a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)");

    private static final long ITERATIONS = 40;

    @Test
    void aLiveRunServesEveryViewAndItsStreamGoesOnAfterAReconnectWithoutGapOrRepeat(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        NodeProcesses.Child run = startRun(dir, out);
        DashboardClient dashboard = DashboardClient.announcedBy(run, Duration.ofMinutes(2));

        await().atMost(Duration.ofMinutes(2)).until(() -> dashboard.json("api/runs/run").path("evaluated").asInt() >= 6);
        JsonNode runs = dashboard.json("api/runs").path("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("task").asText()).isEqualTo(PausingTask.ID);
        JsonNode summary = dashboard.json("api/runs/run");
        assertThat(summary.path("phase").asText()).isEqualTo("RUNNING");
        assertThat(summary.path("islands")).extracting(island -> island.path("id").asText())
                .containsExactly("run/0", "run/1");
        assertThat(summary.path("language").asText()).isEqualTo("java");

        // the live stream: a few events, then a reconnect that names the last one seen
        long lastSeen;
        try (DashboardClient.Stream stream = dashboard.stream("api/runs/run/events", Map.of())) {
            List<DashboardClient.Event> first = stream.next(4);
            assertThat(first).extracting(DashboardClient.Event::id).containsExactly(1L, 2L, 3L, 4L);
            lastSeen = first.get(3).id();
        }
        try (DashboardClient.Stream again = dashboard.stream("api/runs/run/events",
                Map.of("Last-Event-ID", Long.toString(lastSeen)))) {
            assertThat(again.next().id()).as("the first event after a reconnect").isEqualTo(lastSeen + 1);
        }

        // a candidate that is not a seed: its code, its parent, the diff against it, its lineage
        JsonNode recent = dashboard.json("api/runs/run/candidates?order=recent&limit=500");
        JsonNode child = null;
        for (JsonNode item : recent.path("items")) {
            if (!item.path("parent").isNull() && !item.path("status").isNull()) {
                child = item;
                break;
            }
        }
        assertThat(child).as("an evaluated candidate with a parent").isNotNull();
        JsonNode candidate = dashboard.json("api/runs/run/candidate?id=" + child.path("id").asText());
        assertThat(candidate.path("code").asText()).contains("class");
        assertThat(candidate.path("parent").asText()).isEqualTo(child.path("parent").asText());
        JsonNode parent = dashboard.json("api/runs/run/candidate?id=" + child.path("parent").asText());
        if (!parent.path("code").asText().equals(candidate.path("code").asText())) {
            assertThat(candidate.path("diff").asText()).startsWith("@@ -").containsPattern("(?m)^[-+]");
        }
        List<String> lineage = new ArrayList<>();
        candidate.path("lineage").forEach(id -> lineage.add(id.asText()));
        assertThat(lineage.get(0)).isEqualTo(child.path("id").asText());
        assertThat(lineage.get(1)).isEqualTo(child.path("parent").asText());
        assertThat(lineage.get(lineage.size() - 1)).matches("run/\\d+/0");

        JsonNode failures = dashboard.json("api/runs/run/failures");
        assertThat(failures.path("proposals").path("total").asLong())
                .isGreaterThanOrEqualTo(summary.path("failedProposals").asLong());
        assertThat(failures.path("byStatus").isObject()).isTrue();
        assertThat(dashboard.json("api/runs/run/spending").path("models")).as("the offline engine spends nothing").isEmpty();

        JsonNode cluster = dashboard.json("api/cluster");
        assertThat(cluster.path("members")).hasSize(1);
        assertThat(cluster.path("members").get(0).path("status").asText()).isEqualTo("Up");
        assertThat(cluster.path("dispatcher").path("workers").asInt()).isEqualTo(1);
        assertThat(cluster.path("workers").get(0).path("slots").asInt()).isEqualTo(1);

        String metrics = dashboard.get("metrics", Map.of()).body();
        for (String line : metrics.lines().filter(l -> !l.startsWith("#")).toList()) {
            assertThat(line).as("a sample line").matches(SAMPLE);
        }
        assertThat(metrics).contains("galapagos_evaluations_total{run=\"run\",status=\"OK\"} ")
                .contains("galapagos_dispatcher_queue_length ").contains("galapagos_journal_write_seconds_bucket{le=\"+Inf\"} ")
                .contains("galapagos_sandbox_restarts_total ");

        HttpResponse<String> page = dashboard.get("", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'self'"));
        assertThat(dashboard.get("assets/dashboard.js", Map.of()).body()).contains("EventSource");

        assertThat(dashboard.get("api/runs/elsewhere", Map.of()).statusCode()).isEqualTo(404);
        assertThat(dashboard.get("api/runs/run/candidate?id=run/9/9", Map.of()).statusCode()).isEqualTo(404);
        assertThat(dashboard.get("api/runs/run/candidates?limit=many", Map.of()).statusCode()).isEqualTo(400);

        assertThat(run.awaitExit(Duration.ofMinutes(3))).as(run.stderr()).isZero();
    }

    @Test
    void aFinishedRunsFolderIsServedByTheDashboardCommandAndItsStreamReplaysEveryEvaluation(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        NodeProcesses.Child run = startRun(dir, out);
        assertThat(run.awaitExit(Duration.ofMinutes(3))).as(run.stderr()).isZero();

        NodeProcesses.Child served = processes.start("dashboard", List.of("dashboard", "--out", out.toString(),
                "--http-port", "0"), Map.of());
        DashboardClient dashboard = DashboardClient.announcedBy(served, Duration.ofMinutes(2));
        JsonNode summary = dashboard.json("api/runs/run");
        assertThat(summary.path("phase").asText()).isEqualTo("COMPLETED");
        assertThat(summary.path("evaluated").asLong()).isEqualTo(ITERATIONS);
        assertThat(dashboard.json("api/runs/run/lineage").path("nodes")).hasSize(summary.path("proposed").asInt());
        assertThat(dashboard.json("api/runs/run/candidates?limit=7").path("items")).hasSize(7);
        assertThat(dashboard.json("api/runs/run/candidates").path("total").asInt()).isEqualTo(summary.path("proposed").asInt());

        // every evaluation once, in the order of the progress chart
        Set<String> ids = new HashSet<>();
        try (DashboardClient.Stream stream = dashboard.stream("api/runs/run/events?after=0", Map.of())) {
            long n = 0;
            while (n < ITERATIONS) {
                DashboardClient.Event event = stream.next();
                if (event.type().equals("evaluation")) {
                    n++;
                    assertThat(event.data().path("n").asLong()).isEqualTo(n);
                    assertThat(ids.add(event.data().path("id").asText())).as("evaluated once").isTrue();
                }
            }
        }
        JsonNode progress = dashboard.json("api/runs/run/progress");
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode points : (Iterable<JsonNode>) progress.path("islands")::elements) {
            double previous = Double.NEGATIVE_INFINITY;
            for (JsonNode point : points) {
                assertThat(point.get(1).asDouble()).as("an island's best only rises").isGreaterThan(previous);
                previous = point.get(1).asDouble();
            }
            best = Math.max(best, previous);
        }
        assertThat(best).isEqualTo(summary.path("best").path("train").asDouble());

        served.signal("TERM");
        assertThat(served.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void aDashboardReachableFromOtherMachinesWantsItsTokenAndGetsItFromTheEnvironmentOnly(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        NodeProcesses.Child run = startRun(dir, out);
        assertThat(run.awaitExit(Duration.ofMinutes(3))).as(run.stderr()).isZero();

        NodeProcesses.Child refused = processes.start("no-token", List.of("dashboard", "--out", out.toString(),
                "--http-host", "0.0.0.0", "--http-port", "0"), Map.of());
        assertThat(refused.awaitExit(Duration.ofMinutes(1))).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(refused.stderr().strip().lines()).singleElement().asString()
                .startsWith("galapagos dashboard: the dashboard on 0.0.0.0 is reachable from other machines: set "
                        + DashboardSettings.TOKEN_VARIABLE);

        String token = "a-token-of-the-test-0123456789";
        NodeProcesses.Child served = processes.start("token", List.of("dashboard", "--out", out.toString(),
                "--http-host", "0.0.0.0", "--http-port", "0"), Map.of(DashboardSettings.TOKEN_VARIABLE, token));
        DashboardClient announced = DashboardClient.announcedBy(served, Duration.ofMinutes(2));
        assertThat(served.stdout()).doesNotContain(token);
        DashboardClient dashboard = new DashboardClient(announced.base().replace("0.0.0.0", "127.0.0.1"));

        assertThat(dashboard.get("api/runs", Map.of()).statusCode()).isEqualTo(401);
        assertThat(dashboard.get("metrics", Map.of("Authorization", "Bearer wrong-token-0123456789")).statusCode())
                .isEqualTo(401);
        assertThat(dashboard.get("api/runs", Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
        HttpResponse<String> login = dashboard.get("?token=" + token, Map.of());
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(dashboard.get("api/runs", Map.of("Cookie", cookie.substring(0, cookie.indexOf(';')))).statusCode())
                .isEqualTo(200);
        assertThat(Files.readString(processes.directory().resolve("token.err"))).doesNotContain(token);
    }

    private NodeProcesses.Child startRun(Path dir, Path out) throws Exception {
        Path config = dir.resolve("slow.conf");
        // each split pauses 100 ms: the run lives long enough to be watched
        Files.writeString(config, "galapagos.run.data-seed = 100\ngalapagos.worker.slots = 1\n");
        return processes.start("run", List.of("run", "--task", PausingTask.ID, "--iterations", Long.toString(ITERATIONS),
                "--islands", "2", "--out", out.toString(), "--config", config.toString(), "--http-port", "0"), Map.of());
    }
}
