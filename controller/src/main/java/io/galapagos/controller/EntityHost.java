package io.galapagos.controller;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;

/**
 * What hosts a run or an island: cluster sharding, or a plain parent in tests. A finished entity asks
 * its host to passivate it, which with remember-entities also means it no longer wakes at the next
 * cluster start; a message sent through the host starts it again.
 *
 * @param <C> the entity's commands
 */
public interface EntityHost<C> {

    /** Asks the host to stop the entity: the host sends it its stop message, after what is in its mailbox. */
    void passivate(ActorRef<C> self);

    /**
     * Sends the entity a message through its host. Sent while the entity passivates, it makes the host
     * start the entity again once it has stopped (and remember it).
     */
    void wake(C message);

    /** Sharding's host of the entity {@code entity}. */
    static <C> EntityHost<C> sharded(ClusterSharding sharding, EntityContext<C> entity) {
        return new EntityHost<>() {
            @Override
            public void passivate(ActorRef<C> self) {
                entity.getShard().tell(new ClusterSharding.Passivate<>(self));
            }

            @Override
            public void wake(C message) {
                sharding.entityRefFor(entity.getEntityTypeKey(), entity.getEntityId()).tell(message);
            }
        };
    }

    /** A host without sharding (tests, tools): nothing to leave, so the entity stays until its parent stops it. */
    static <C> EntityHost<C> unsharded() {
        return new EntityHost<>() {
            @Override
            public void passivate(ActorRef<C> self) {
                // no remembered entities to leave
            }

            @Override
            public void wake(C message) {
                // a stopped entity without sharding stays stopped
            }
        };
    }
}
