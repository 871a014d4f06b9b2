package io.galapagos.deploy;

import io.galapagos.deploy.bench.InstantEvaluator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.internal.EventSourcedRememberEntitiesShardStore;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A completed run and its islands leave memory and sharding's remembered entities once the run has
 * stored their final reports, so a restart of the node wakes only the run that is still going; the
 * completed run's history stays readable and its status can still be asked.
 */
// integration lane: searches on the embedded node, restarted
@Tag("integration")
class FinishedRunsLeaveTest {

    private static final Duration ASK = Duration.ofSeconds(30);

    @Test
    @Timeout(240)
    void aCompletedRunAndItsIslandsLeaveAndOnlyTheUnfinishedRunWakesAfterARestart(@TempDir Path out) throws Exception {
        Config config = EmbeddedNode.config(out, Optional.empty(), ConfigFactory.parseMap(Map.of(
                "galapagos.islands.in-flight", 2)));
        EngineConfig engineConfig = EngineConfig.from(config);
        Task<?> task = TaskRegistry.load().require(NoopTask.ID);

        try (EmbeddedNode first = EmbeddedNode.start(config, new InstantEvaluator(4),
                Evaluators.generators(config))) {
            start(first, settings("done", 20, task, engineConfig));
            start(first, settings("going", 1_000_000, task, engineConfig));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(first, "done").phase() == RunStatus.Phase.COMPLETED);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(live(first.system(), Island.TYPE_KEY)).doesNotContain("done/0", "done/1")
                        .contains("going/0", "going/1");
                assertThat(remembered(first.system(), Island.ENTITY_TYPE)).doesNotContain("done/0", "done/1")
                        .contains("going/0", "going/1");
                assertThat(remembered(first.system(), Run.ENTITY_TYPE)).doesNotContain("done").contains("going");
            });
        }

        try (EmbeddedNode second = EmbeddedNode.start(config, new InstantEvaluator(4),
                Evaluators.generators(config))) {
            // nothing is sent: remember-entities alone wakes what is remembered
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(live(second.system(), Island.TYPE_KEY)).contains("going/0", "going/1"));
            assertThat(live(second.system(), Island.TYPE_KEY)).doesNotContain("done/0", "done/1");
            assertThat(live(second.system(), Run.TYPE_KEY)).doesNotContain("done");
            assertThat(remembered(second.system(), Island.ENTITY_TYPE)).doesNotContain("done/0", "done/1");

            RunStatus done = status(second, "done");
            assertThat(done.phase()).isEqualTo(RunStatus.Phase.COMPLETED);
            assertThat(done.evaluated()).isEqualTo(20);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(live(second.system(), Run.TYPE_KEY)).as("asked, it answers and leaves again")
                            .doesNotContain("done"));
        }
    }

    private static RunSettings settings(String runId, long iterations, Task<?> task, EngineConfig engineConfig) {
        return new RunSettings(runId, task.id(), 5, 2, iterations, 0, 0, Optional.empty(),
                engineConfig.run().cascade(), false, Optional.empty(), 1, task.initialProgram().source(),
                task.featureMetric(), engineConfig.islands());
    }

    private static void start(EmbeddedNode node, RunSettings settings) throws Exception {
        StatusReply<RunStatus> reply = node.engine().run(settings.runId())
                .<StatusReply<RunStatus>>ask(replyTo -> new Run.Start(settings, replyTo), ASK)
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(reply.isSuccess()).isTrue();
    }

    private static RunStatus status(EmbeddedNode node, String runId) throws Exception {
        return node.engine().run(runId).<RunStatus>ask(Run.GetStatus::new, ASK)
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The entities of {@code type} alive on this node now. */
    private static Set<String> live(ActorSystem<?> system, EntityTypeKey<?> type) throws Exception {
        ShardRegion.CurrentShardRegionState state = AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                        ClusterSharding.get(system).shardState(), replyTo -> new GetShardRegionState(type, replyTo),
                        ASK, system.scheduler())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        return state.getShards().stream().flatMap(shard -> shard.getEntityIds().stream()).collect(Collectors.toSet());
    }

    /** The entities of {@code typeName} that sharding's remember-entities store holds in the journal. */
    private static Set<String> remembered(ActorSystem<?> system, String typeName) throws Exception {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String prefix = "/sharding/" + typeName + "Shard/";
        List<String> stores = journal.currentPersistenceIds().filter(id -> id.startsWith(prefix))
                .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
        Set<String> entities = new HashSet<>();
        for (String store : stores) {
            List<Object> events = journal.currentEventsByPersistenceId(store, 0, Long.MAX_VALUE)
                    .map(envelope -> envelope.event()).runWith(Sink.seq(), system)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            for (Object event : events) {
                if (event instanceof EventSourcedRememberEntitiesShardStore.EntitiesStarted started) {
                    entities.addAll(CollectionConverters.asJava(started.entities()));
                } else if (event instanceof EventSourcedRememberEntitiesShardStore.EntitiesStopped stopped) {
                    entities.removeAll(CollectionConverters.asJava(stopped.entities()));
                }
            }
        }
        assertThat(stores).as("the remember-entities store of " + typeName).isNotEmpty();
        return entities;
    }
}
