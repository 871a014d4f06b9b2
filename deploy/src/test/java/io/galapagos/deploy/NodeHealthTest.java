package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.deploy.cluster.NodeReadiness;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.web.HealthEndpoint;
import org.h2.tools.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node's health endpoint: ready while its checks pass, 503 naming the database once that is gone. */
// integration lane: a cluster member and an H2 server
@Tag("integration")
class NodeHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Answer(int status, JsonNode body) {
        String check(String name) {
            for (JsonNode check : body.path("checks")) {
                if (check.path("name").asText().equals(name)) {
                    return check.path("ok").asBoolean() + " " + check.path("detail").asText();
                }
            }
            return "absent";
        }
    }

    private Answer get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    @Test
    void aNodeIsReadyWhileItsChecksPassAndAnswers503NamingTheDatabaseOnceItIsUnreachable(@TempDir Path dir)
            throws Exception {
        // the journal behind an H2 server of its own, so that the test can take the database away
        Server database = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/journal;DATABASE_TO_UPPER=false";
        Config config = EmbeddedNode.config(dir.resolve("out"), Optional.empty(), ConfigFactory.parseMap(Map.of(
                "galapagos.store.url", url,
                "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off")));
        try (EmbeddedNode node = EmbeddedNode.start(config, new InstantEvaluator(1), Evaluators.generators(config));
             NodeReadiness readiness = new NodeReadiness(node.member(), config.getDuration("galapagos.health.database-timeout"));
             HealthEndpoint health = HealthEndpoint.start(node.system(), config.getString("galapagos.health.host"), 0, readiness)) {
            int port = health.port();
            assertThat(health.announcement()).isEqualTo("health: http://127.0.0.1:" + port + "/health/ready");

            Answer live = get(port, "/health/live");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body().path("live").asBoolean()).isTrue();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(port, "/health/ready").status() == 200);
            Answer ready = get(port, "/health/ready");
            assertThat(ready.body().path("ready").asBoolean()).isTrue();
            assertThat(ready.check("member")).isEqualTo("true up");
            assertThat(ready.check("controller")).isEqualTo("true islands and dispatcher started");
            assertThat(ready.check("worker")).isEqualTo("true sandbox pool started, dispatcher found");
            assertThat(ready.check("database")).isEqualTo("true answers");

            database.stop();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(port, "/health/ready").status() == 503);
            Answer unready = get(port, "/health/ready");
            assertThat(unready.body().path("ready").asBoolean()).isFalse();
            assertThat(unready.check("database")).startsWith("false ");
            assertThat(unready.check("member")).isEqualTo("true up");
            // nothing of the store's address in the answer
            assertThat(unready.body().toString()).doesNotContain("127.0.0.1").doesNotContain("journal");
            assertThat(get(port, "/health/live").status()).isEqualTo(200);
        } finally {
            database.stop();
        }
    }
}
