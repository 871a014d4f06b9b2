package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.deploy.cluster.NodeReadiness;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A node's health for its supervisor: {@code GET /health/live} answers 200 while the node runs, and
 * {@code GET /health/ready} 200 when every readiness check passes, else 503, each with a small JSON body
 * listing the checks. No token: the answers name checks, never runs, candidates or addresses.
 */
public final class HealthEndpoint implements AutoCloseable {

    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerBinding binding;
    private final String host;

    private HealthEndpoint(ServerBinding binding, String host) {
        this.binding = binding;
        this.host = host;
    }

    /**
     * Serves the two paths on {@code host:port} (0: a free port).
     *
     * @throws IllegalArgumentException in one line when the address cannot be bound
     */
    public static HealthEndpoint start(ActorSystem<?> system, String host, int port,
                                       Supplier<CompletionStage<List<NodeReadiness.Check>>> readiness) {
        try {
            ServerBinding binding = Http.get(system).newServerAt(host, port).bind(new Routes(readiness).routes())
                    .toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new HealthEndpoint(binding, host);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("the health endpoint cannot listen on " + host + ":" + port + ": "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the health endpoint could not bind " + host + ":" + port
                    + " within " + BIND_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the health endpoint", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return binding.localAddress().getPort();
    }

    /** One line for the console. */
    public String announcement() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "health: http://" + shown + ":" + port() + "/health/ready";
    }

    @Override
    public void close() {
        binding.unbind();
    }

    private static final class Routes extends AllDirectives {
        private final Supplier<CompletionStage<List<NodeReadiness.Check>>> readiness;

        Routes(Supplier<CompletionStage<List<NodeReadiness.Check>>> readiness) {
            this.readiness = readiness;
        }

        Route routes() {
            return get(() -> pathPrefix("health", () -> concat(
                    path("live", () -> complete(json(StatusCodes.OK, JSON.createObjectNode().put("live", true)))),
                    path("ready", () -> onSuccess(readiness.get(), checks -> complete(ready(checks)))))));
        }

        private static HttpResponse ready(List<NodeReadiness.Check> checks) {
            boolean ready = checks.stream().allMatch(NodeReadiness.Check::ok);
            ObjectNode body = JSON.createObjectNode().put("ready", ready);
            ArrayNode list = body.putArray("checks");
            checks.forEach(check -> list.addObject().put("name", check.name()).put("ok", check.ok())
                    .put("detail", check.detail()));
            return json(ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
        }

        private static HttpResponse json(org.apache.pekko.http.javadsl.model.StatusCode status, ObjectNode body) {
            return HttpResponse.create().withStatus(status)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString() + "\n"));
        }
    }
}
