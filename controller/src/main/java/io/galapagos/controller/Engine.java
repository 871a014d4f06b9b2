package io.galapagos.controller;

import io.galapagos.controller.dispatch.EvaluationDispatcher;
import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.island.Island;
import io.galapagos.controller.island.IslandEnvironment;
import io.galapagos.controller.island.IslandTimers;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.WorkPulling.ToDispatcher;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

import java.util.Map;

/**
 * The controller role of a node: the dispatcher singleton and the sharded runs and islands. Results
 * of the dispatcher reach islands by id through sharding.
 */
public final class Engine {

    public static final String ROLE = "controller";

    private final ActorSystem<?> system;
    private final ActorRef<ToDispatcher> dispatcher;
    private final JournalWrites journalWrites;

    private Engine(ActorSystem<?> system, ActorRef<ToDispatcher> dispatcher, JournalWrites journalWrites) {
        this.system = system;
        this.dispatcher = dispatcher;
        this.journalWrites = journalWrites;
    }

    public static Engine start(ActorSystem<?> system, EngineConfig config,
                               GeneratorFactory generators) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ActorRef<ToDispatcher> dispatcher = ClusterSingleton.get(system).init(SingletonActor.of(
                        Behaviors.supervise(EvaluationDispatcher.clustered(config.dispatcher(), result ->
                                sharding.entityRefFor(Island.TYPE_KEY, result.islandId())
                                        .tell(new Island.EvaluationArrived(result))))
                                .onFailure(SupervisorStrategy.restart()), "evaluation-dispatcher")
                .withSettings(ClusterSingletonSettings.create(system).withRole(ROLE)));
        JournalWrites journalWrites = new JournalWrites();
        Island.init(system, new IslandEnvironment() {
            @Override
            public void submit(EvaluationRequest request) {
                dispatcher.tell(new EvaluationDispatcher.Submit(request));
            }

            @Override
            public void tellIsland(String islandId, Island.Command command) {
                sharding.entityRefFor(Island.TYPE_KEY, islandId).tell(command);
            }

            @Override
            public void tellRun(String runId, Run.Command command) {
                sharding.entityRefFor(Run.TYPE_KEY, runId).tell(command);
            }

            @Override
            public SolutionGenerator generator(RunSettings settings, int islandNo,
                                               Map<String, CostTracker.ModelTotals> spent) {
                return generators.create(settings, islandNo, spent);
            }

            @Override
            public IslandTimers timers() {
                return config.islandTimers();
            }

            @Override
            public boolean groupsResults() {
                return true;
            }

            @Override
            public void journalled(long nanos) {
                journalWrites.record(nanos);
            }
        }, config.retention(), config.restartBackoff(), ROLE);
        Run.init(system, config.retention(), config.restartBackoff(), ROLE);
        return new Engine(system, dispatcher, journalWrites);
    }

    public EntityRef<Run.Command> run(String runId) {
        return ClusterSharding.get(system).entityRefFor(Run.TYPE_KEY, runId);
    }

    public ActorRef<ToDispatcher> dispatcher() {
        return dispatcher;
    }

    /** How long the journal took to confirm the writes of this node's islands. */
    public JournalWrites journalWrites() {
        return journalWrites;
    }
}
