package io.galapagos.deploy.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.controller.Engine;
import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.Run;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The dashboard: a read-only JSON API over the runs of this node's journal, a live stream of their
 * evaluations (server-sent events), the page that shows them, and {@code /metrics} for a monitoring
 * system. Each run it is asked about is followed by one {@link RunWatch}, refreshed from the journal
 * once a second (less often when a refresh is slow); requests and streams read only what the watches hold.
 */
public final class Dashboard extends AllDirectives implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    static final String COOKIE = "galapagos_dashboard";
    static final Duration REFRESH = Duration.ofSeconds(1);
    static final Duration SETTLED_REFRESH = Duration.ofSeconds(10);
    /** How often a stream looks for events its watch added; the page sees an evaluation within about a second. */
    static final Duration STREAM_POLL = Duration.ofMillis(250);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int MAX_PAGE = 500;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What the node serving the dashboard knows beyond the journal.
     *
     * @param engine    the controller role's engine (dispatcher, journal write times), if this node has it
     * @param evaluator the worker role's evaluator (sandbox restarts), if this node has it
     * @param tasks     the language of a run's task and its baselines' scores, by the run's history
     */
    public record Node(java.util.function.Supplier<Optional<Engine>> engine, Optional<CandidateEvaluator> evaluator,
                       RunTasks tasks) {
    }

    /** What the dashboard shows of a run's task. */
    public interface RunTasks {

        /** The language of the run's programs ({@code java}, {@code python}, ...). */
        String language(String runId, RunHistory history);

        /** The baselines' scores, as far as they are known now. */
        List<RunComparison.Row> baselines(String runId, RunHistory history);
    }

    private final ActorSystem<?> system;
    private final DashboardSettings settings;
    private final Node node;
    private final JdbcReadJournal journal;
    private final Map<String, RunWatch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;
    private final Metrics metrics;
    private volatile ServerBinding binding;

    private Dashboard(ActorSystem<?> system, DashboardSettings settings, Node node) {
        this.system = system;
        this.settings = settings;
        this.node = node;
        this.journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "galapagos-dashboard");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.refresher = executor;
        this.metrics = new Metrics(this);
    }

    /**
     * Binds the dashboard. A default port that is taken gives way to a free one; a port a person chose
     * must be free.
     *
     * @throws IllegalArgumentException in one line when the chosen port is taken or the address cannot be bound
     */
    public static Dashboard start(ActorSystem<?> system, DashboardSettings settings, Node node) {
        Dashboard dashboard = new Dashboard(system, settings, node);
        try {
            dashboard.binding = dashboard.bind(settings.port());
        } catch (IllegalArgumentException e) {
            if (settings.portGiven() || settings.port() == 0) {
                throw e;
            }
            dashboard.binding = dashboard.bind(0);
        }
        return dashboard;
    }

    private ServerBinding bind(int port) {
        try {
            return Http.get(system).newServerAt(settings.host(), port).bind(routes()).toCompletableFuture()
                    .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BindException || String.valueOf(cause).contains("Address already in use")) {
                throw new IllegalArgumentException(DashboardSettings.inUse(settings.host(), port), e);
            }
            throw new IllegalArgumentException("the dashboard cannot listen on " + settings.host() + ":" + port + ": "
                    + cause.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("the dashboard could not bind " + settings.host() + ":" + port
                    + " within " + BIND_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the dashboard", e);
        }
    }

    /** The address a browser opens: {@code http://127.0.0.1:7070/}. */
    public String url() {
        InetSocketAddress address = binding.localAddress();
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + address.getPort() + "/";
    }

    /** One line for the console: where the dashboard is and, off loopback, that it wants the token. */
    public String announcement() {
        return "dashboard: " + url() + settings.token().map(t -> " (requests need the token in "
                + DashboardSettings.TOKEN_VARIABLE + ": open " + url() + "?token=... once, or send it as a Bearer token)")
                .orElse("");
    }

    /** Starts following a run now, so that its page and stream are ready before anyone asks. */
    public void follow(String runId) {
        watch(runId);
    }

    /** The same, reading the run's history through {@code reader} (one this process already keeps). */
    public void follow(String runId, RunHistory.Reader reader) {
        watches.computeIfAbsent(runId, id -> started(id, reader));
    }

    RunWatch watch(String runId) {
        return watches.computeIfAbsent(runId, id -> started(id, new RunHistory.Reader(system, id)));
    }

    private RunWatch started(String runId, RunHistory.Reader reader) {
        RunWatch watch = new RunWatch(runId, () -> reader.read(Duration.ofMinutes(1)),
                candidate -> reader.full(candidate, Duration.ofMinutes(1)));
        refresher.execute(() -> refreshAndReschedule(watch));
        return watch;
    }

    private void refreshAndReschedule(RunWatch watch) {
        long start = System.nanoTime();
        try {
            watch.refresh();
        } catch (RuntimeException e) {
            LOG.debug("the dashboard could not read run {}: {}", watch.runId(), e.toString());
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // a slow journal is read less often, so that the dashboard never competes with the run for it; a
        // completed run only changes if it is resumed
        long next = Math.max(watch.settled() ? SETTLED_REFRESH.toMillis() : REFRESH.toMillis(), 10 * tookMillis);
        try {
            refresher.schedule(() -> refreshAndReschedule(watch), next, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** The runs the journal holds, by id. */
    List<String> runIds() {
        try {
            String prefix = Run.ENTITY_TYPE + "|";
            return journal.currentPersistenceIds().filter(id -> id.startsWith(prefix))
                    .map(id -> id.substring(prefix.length())).runWith(Sink.seq(), system).toCompletableFuture()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream().sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the runs: " + e, e);
        }
    }

    /** The watch of a run the journal holds, with its first history read. */
    Optional<RunWatch> knownRun(String runId) {
        RunWatch existing = watches.get(runId);
        if (existing == null && !runIds().contains(runId)) {
            return Optional.empty();
        }
        RunWatch watch = watch(runId);
        if (watch.history().isEmpty()) {
            watch.refresh();
        }
        return Optional.of(watch);
    }

    Map<String, RunWatch> watches() {
        return watches;
    }

    Node node() {
        return node;
    }

    ActorSystem<?> system() {
        return system;
    }

    Optional<EvaluationDispatcher.Stats> dispatcherStats() {
        Optional<Engine> engine = node.engine().get();
        if (engine.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AskPattern.<io.galapagos.protocol.WorkPulling.ToDispatcher, EvaluationDispatcher.Stats>ask(
                            engine.get().dispatcher(), EvaluationDispatcher.GetStats::new, ASK_TIMEOUT,
                            system.scheduler())
                    .toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            return Optional.empty(); // the dispatcher is moving to another controller
        }
    }

    // ---------------------------------------------------------------- routes

    /**
     * Every answer forbids scripts, styles and connections from anywhere but the dashboard itself, and
     * framing: the page shows text that candidates and models wrote.
     */
    static final List<org.apache.pekko.http.javadsl.model.HttpHeader> SECURITY_HEADERS = List.of(
            org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
            org.apache.pekko.http.javadsl.model.headers.RawHeader.create("X-Content-Type-Options", "nosniff"),
            org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Referrer-Policy", "no-referrer"));

    private Route routes() {
        return respondWithDefaultHeaders(SECURITY_HEADERS, this::allRoutes);
    }

    private Route allRoutes() {
        return handleExceptions(problems(), () -> authorized(() -> concat(
                pathSingleSlash(() -> get(() -> getFromResource(resource("index.html"), ContentTypes.TEXT_HTML_UTF8))),
                pathPrefix("assets", () -> concat(
                        path("dashboard.js", () -> get(() -> getFromResource(resource("dashboard.js")))),
                        path("dashboard.css", () -> get(() -> getFromResource(resource("dashboard.css")))))),
                path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(HttpEntities.create(
                        ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8"),
                        metrics.text().getBytes(StandardCharsets.UTF_8)))))),
                pathPrefix("api", () -> get(() -> concat(
                        path("runs", () -> json(this::runList)),
                        path("cluster", () -> json(this::cluster)),
                        pathPrefix("runs", () -> pathPrefix(PathMatchers.segment(), this::runRoutes))))))));
    }

    private static String resource(String name) {
        return "io/galapagos/deploy/web/" + name;
    }

    private Route runRoutes(String runId) {
        return extractRequest(request -> {
            Optional<RunWatch> found = knownRun(runId);
            if (found.isEmpty()) {
                return notFound("no run " + runId + " in this journal");
            }
            RunWatch watch = found.get();
            RunHistory history = watch.history().orElseThrow();
            return concat(
                    pathEnd(() -> json(() -> RunViews.summary(runId, history, node.tasks().language(runId, history),
                            node.tasks().baselines(runId, history), watch.lastEventId()))),
                    path("progress", () -> json(() -> RunViews.progress(watch, history))),
                    path("lineage", () -> json(() -> RunViews.lineage(watch, history))),
                    path("failures", () -> json(() -> RunViews.failures(history))),
                    path("spending", () -> json(() -> {
                        ObjectNode spending = RunViews.JSON.objectNode();
                        spending.set("models", RunViews.spending(history));
                        return spending;
                    })),
                    path("candidates", () -> parameterOptional("offset", offset -> parameterOptional("limit", limit ->
                            parameterOptional("order", order -> json(() -> RunViews.candidates(watch, history,
                                    number(offset, 0, Integer.MAX_VALUE, "offset"),
                                    number(limit, 50, MAX_PAGE, "limit"),
                                    !order.orElse("score").equals("recent"))))))),
                    path("candidate", () -> parameter("id", id -> {
                        Optional<ObjectNode> candidate = RunViews.candidate(watch, history, id,
                                node.tasks().language(runId, history));
                        return candidate.isPresent() ? json(candidate::get) : notFound("no candidate " + id + " in run " + runId);
                    })),
                    path("events", () -> parameterOptional("after", after ->
                            optionalHeaderValueByName("Last-Event-ID", lastId -> events(watch,
                                    lastId.or(() -> after).map(v -> (long) number(Optional.of(v), 0, Integer.MAX_VALUE, "after"))
                                            .orElse(0L))))));
        });
    }

    private Route events(RunWatch watch, long after) {
        Source<ServerSentEvent, NotUsed> stream = Source.tick(Duration.ZERO, STREAM_POLL, Boolean.TRUE)
                .mapMaterializedValue(cancellable -> NotUsed.getInstance())
                .statefulMap(() -> after, (last, tick) -> {
                    List<RunWatch.LiveEvent> batch = watch.eventsAfter(last);
                    long newLast = batch.isEmpty() ? last : batch.get(batch.size() - 1).id();
                    return org.apache.pekko.japi.Pair.create(newLast, batch);
                }, last -> Optional.empty())
                .mapConcat(batch -> batch)
                .map(event -> ServerSentEvent.create(event.json(), event.type(), Long.toString(event.id())))
                .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
        return completeOK(stream, EventStreamMarshalling.toEventStream());
    }

    private static int number(Optional<String> text, int fallback, int max, String name) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get().strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.min(value, max);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number from 0, not " + text.get());
        }
    }

    private ObjectNode runList() {
        ObjectNode list = RunViews.JSON.objectNode();
        ArrayNode runs = list.putArray("runs");
        for (String runId : runIds()) {
            knownRun(runId).flatMap(RunWatch::history).ifPresent(h -> runs.add(RunViews.runListItem(runId, h)));
        }
        return list;
    }

    private ObjectNode cluster() {
        ObjectNode view = RunViews.JSON.objectNode();
        Cluster cluster = Cluster.get(system);
        view.put("self", cluster.selfMember().address().toString());
        ArrayNode members = view.putArray("members");
        for (Member member : cluster.state().getMembers()) {
            ObjectNode node = members.addObject();
            node.put("address", member.address().toString());
            ArrayNode roles = node.putArray("roles");
            member.getRoles().stream().filter(r -> !r.startsWith("dc-") && !r.startsWith("fence-")).sorted().forEach(roles::add);
            node.put("status", member.status().toString());
        }
        Optional<EvaluationDispatcher.Stats> stats = dispatcherStats();
        ArrayNode workers = RunViews.JSON.arrayNode();
        if (stats.isPresent()) {
            EvaluationDispatcher.Stats s = stats.get();
            ObjectNode dispatcher = view.putObject("dispatcher");
            dispatcher.put("queued", s.queued());
            dispatcher.put("running", s.running());
            dispatcher.put("workers", s.workers());
            dispatcher.put("completed", s.completed());
            dispatcher.put("requeued", s.requeued());
            dispatcher.put("quarantined", s.quarantined());
            dispatcher.put("quarantinedWorkers", s.quarantinedWorkers());
            for (EvaluationDispatcher.WorkerLoad load : s.perWorker()) {
                ObjectNode worker = workers.addObject();
                worker.put("address", load.address());
                worker.put("slots", load.busy() + load.free());
                worker.put("busy", load.busy());
                worker.put("completed", load.completed());
                worker.put("perSecond", metrics.workerRate(load.address(), load.completed()));
                worker.put("quarantined", load.quarantined());
            }
        } else {
            view.putNull("dispatcher");
        }
        view.set("workers", workers);
        return view;
    }

    // ---------------------------------------------------------------- plumbing

    private interface JsonView {
        JsonNode build();
    }

    private Route json(JsonView view) {
        JsonNode body = view.build();
        try {
            return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    RunViews.MAPPER.writeValueAsBytes(body))).addHeader(
                    org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Cache-Control", "no-store")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Route notFound(String message) {
        return complete(HttpResponse.create().withStatus(StatusCodes.NOT_FOUND).withEntity(
                HttpEntities.create(ContentTypes.APPLICATION_JSON, error(message))));
    }

    private static byte[] error(String message) {
        ObjectNode node = RunViews.JSON.objectNode();
        node.put("error", message);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A request the API cannot answer as asked. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private org.apache.pekko.http.javadsl.server.ExceptionHandler problems() {
        return org.apache.pekko.http.javadsl.server.ExceptionHandler.newBuilder()
                .match(BadRequest.class, e -> complete(HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, error(e.getMessage())))))
                .match(RuntimeException.class, e -> {
                    LOG.debug("the dashboard could not answer", e);
                    return complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, error(
                                    "the journal cannot be read now: " + e.getMessage()))));
                })
                .build();
    }

    /**
     * Off loopback every request carries the token: as a Bearer token, in the cookie the page got, or
     * once as {@code ?token=}, which sets the cookie and sends the browser on without the token in its address.
     */
    private Route authorized(java.util.function.Supplier<Route> inner) {
        if (settings.token().isEmpty()) {
            return inner.get();
        }
        byte[] expected = settings.token().get().getBytes(StandardCharsets.UTF_8);
        Function<Optional<String>, Boolean> matches = given -> given.map(g ->
                MessageDigest.isEqual(g.getBytes(StandardCharsets.UTF_8), expected)).orElse(false);
        return optionalHeaderValueByName("Authorization", header -> optionalCookie(COOKIE, cookie ->
                parameterOptional("token", query -> extractUri(uri -> {
                    Optional<String> bearer = header.filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7).strip());
                    if (matches.apply(query)) {
                        return setCookie(HttpCookie.create(COOKIE, settings.token().get()).withHttpOnly(true)
                                        .withSameSite(SameSite.Strict).withPath("/"),
                                () -> redirect(uri.query(org.apache.pekko.http.javadsl.model.Query.EMPTY).toRelative(),
                                        StatusCodes.SEE_OTHER));
                    }
                    if (matches.apply(bearer) || matches.apply(cookie.map(c -> c.value()))) {
                        return inner.get();
                    }
                    return complete(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED).withEntity(
                            HttpEntities.create(ContentTypes.APPLICATION_JSON, error("this dashboard needs the token in "
                                    + DashboardSettings.TOKEN_VARIABLE + " (Authorization: Bearer ..., or ?token=...)"))));
                }))));
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        ServerBinding bound = binding;
        if (bound != null) {
            try {
                bound.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the actor system going down closes it anyway
            }
        }
    }

    List<RunWatch> watchList() {
        return new ArrayList<>(watches.values());
    }
}
