package io.galapagos.deploy.cluster;

import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What keeps one database to one live cluster, on a member started with seeds:
 * <ul>
 *   <li>formation: the first seed never joins itself by Pekko's timer; it joins the other seeds and
 *   forms a new cluster incarnation only when the {@link ClusterLease} is free;</li>
 *   <li>the lease: the oldest reachable controller renews it; a member whose incarnation no longer
 *   holds it halts;</li>
 *   <li>the first start: islands and the dispatcher start once {@code min-controllers} controllers are
 *   up in this incarnation, and right away on every later controller (so failover never waits);</li>
 *   <li>the pause detector: a controller whose own threads stalled longer than {@code pause-limit}
 *   (SIGSTOP, a very long GC) may have been removed meanwhile; it halts before it writes again.</li>
 *   <li>fencing (PostgreSQL): an Up member fences every member it sees downed or removed, so that the
 *   database refuses whatever that member still commits; a member that finds itself fenced halts.</li>
 * </ul>
 */
final class ClusterGuard implements AutoCloseable {

    /** How often the pause detector looks at the clock. */
    private static final long PAUSE_TICK_MILLIS = 50;

    /** Exit status of a halted member, that of a failed run: a supervisor restarts it. */
    static final int HALT_STATUS = 1;

    /** Often enough that a downed member is fenced well before its entities start elsewhere. */
    private static final Duration TICK = Duration.ofMillis(200);

    /** The settings of the guard, from {@code galapagos.node}. */
    record Settings(List<Address> seeds, boolean controller, int minControllers, Duration leaseTimeout,
                    Duration renewInterval, Duration formRetry, Duration pauseLimit) {
    }

    private final Cluster cluster;
    private final Settings settings;
    private final Optional<ClusterLease> lease;
    private final Optional<Fencing> fencing;
    private final Runnable startIslands;
    private final PrintStream out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "galapagos-cluster-guard");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean islandsStarted = new AtomicBoolean();
    private volatile String incarnation;
    private volatile boolean startRecorded;
    private long lastFormTry;
    private long lastRenewal;
    private Map<Address, Member> known = Map.of();
    private final Set<String> fenced = new HashSet<>();
    private ScheduledExecutorService pauseDetector;

    /** The fence of this database and the token this member's own journal connections carry. */
    record Fencing(MemberFence fence, String ownToken) {
    }

    ClusterGuard(Cluster cluster, Settings settings, Optional<ClusterLease> lease, Optional<Fencing> fencing,
                 Runnable startIslands, PrintStream out) {
        this.cluster = cluster;
        this.settings = settings;
        this.lease = lease;
        this.fencing = fencing;
        this.startIslands = startIslands;
        this.out = out;
    }

    /** Joins the seeds (or, as their first, forms a cluster when the lease allows) and starts the checks. */
    void start() {
        Address self = cluster.selfAddress();
        boolean first = !settings.seeds().isEmpty() && settings.seeds().get(0).equals(self);
        List<Address> others = new ArrayList<>(settings.seeds());
        others.remove(self);
        if (first && !others.isEmpty()) {
            // retried by Pekko every seed-node-timeout until one answers; never joins this member itself
            cluster.joinSeedNodes(others);
        }
        // with other seeds, give them seed-node-timeout to answer first; alone, check the lease at once
        lastFormTry = System.nanoTime() - (others.isEmpty() ? settings.formRetry().toNanos() : 0);
        if (settings.controller() && settings.minControllers() <= 1) {
            openIslands();
        }
        if (settings.controller() && settings.pauseLimit().compareTo(Duration.ZERO) > 0) {
            startPauseDetector();
        }
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick(first);
            } catch (RuntimeException e) {
                say("cluster guard: " + e);
            }
        }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick(boolean first) {
        long now = System.nanoTime();
        Member self = cluster.selfMember();
        if (self.status() == MemberStatus.removed()) {
            if (first && now - lastFormTry >= settings.formRetry().toNanos()) {
                lastFormTry = now;
                tryToForm();
            }
            return;
        }
        watchMembers();
        if (self.status() != MemberStatus.up()) {
            return;
        }
        boolean renew = now - lastRenewal >= settings.renewInterval().toNanos();
        if (renew) {
            lastRenewal = now;
            if (lease.isPresent() && settings.controller()) {
                checkLease();
            }
            checkOwnFence();
        }
        if (settings.controller() && !islandsStarted.get()) {
            long up = upControllers().size();
            if (up >= settings.minControllers() || incarnationStarted()) {
                openIslands();
            }
        }
        if (islandsStarted.get() && !startRecorded && incarnation != null && lease.isPresent()) {
            try {
                lease.get().markStarted(incarnation);
                startRecorded = true;
            } catch (SQLException e) {
                say("cannot record the first start in the cluster lease: " + e.getMessage());
            }
        }
    }

    private void tryToForm() {
        String candidate = UUID.randomUUID().toString();
        try {
            Optional<ClusterLease.Holder> live = lease.isPresent()
                    ? lease.get().form(candidate, cluster.selfAddress().toString(), settings.leaseTimeout())
                    : Optional.empty();
            if (live.isPresent()) {
                ClusterLease.Holder holder = live.get();
                say("a live cluster (incarnation " + holder.incarnation() + ", renewed by " + holder.holder() + " "
                        + holder.age().toSeconds() + " s ago) uses this database; joining its seeds");
                return;
            }
        } catch (SQLException e) {
            say("cannot read the cluster lease (" + e.getMessage().lines().findFirst().orElse("") + "); not forming a cluster yet");
            return;
        }
        if (cluster.selfMember().status() != MemberStatus.removed()) {
            return;
        }
        incarnation = candidate;
        say("no other seed answered and the cluster lease is free: forming cluster incarnation " + candidate);
        cluster.join(cluster.selfAddress());
    }

    private void checkLease() {
        try {
            if (incarnation == null) {
                Optional<ClusterLease.Holder> current = lease.get().current();
                if (current.isPresent()) {
                    incarnation = current.get().incarnation();
                } else if (isRenewer()) {
                    String created = UUID.randomUUID().toString();
                    if (lease.get().form(created, cluster.selfAddress().toString(), settings.leaseTimeout()).isEmpty()) {
                        incarnation = created;
                    }
                }
                return;
            }
            if (isRenewer()) {
                if (lease.get().renew(incarnation, cluster.selfAddress().toString()) == ClusterLease.Renewal.LOST) {
                    halt("the cluster lease no longer names incarnation " + incarnation
                            + " (another cluster took the database over)");
                }
            } else {
                Optional<ClusterLease.Holder> current = lease.get().current();
                if (current.isPresent() && !current.get().incarnation().equals(incarnation)) {
                    halt("the cluster lease names incarnation " + current.get().incarnation() + " (renewed by "
                            + current.get().holder() + "), not this member's " + incarnation);
                }
            }
        } catch (SQLException e) {
            say("cannot renew the cluster lease: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private boolean incarnationStarted() {
        if (lease.isEmpty() || incarnation == null) {
            return false;
        }
        try {
            Optional<ClusterLease.Holder> current = lease.get().current();
            return current.isPresent() && current.get().incarnation().equals(incarnation) && current.get().started();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The oldest controller this member can reach renews the lease. Unreachable ones are skipped so that
     * renewal goes on while a crashed oldest is being downed; both sides of a split renew the same
     * incarnation, which is harmless: the lease keeps out other incarnations, not members of this one.
     */
    private boolean isRenewer() {
        ClusterEvent.CurrentClusterState state = cluster.state();
        Set<Member> unreachable = state.getUnreachable();
        Member oldest = null;
        for (Member member : state.getMembers()) {
            if (member.status() == MemberStatus.up() && !unreachable.contains(member)
                    && member.hasRole(ClusterNode.CONTROLLER_ROLE) && (oldest == null || member.isOlderThan(oldest))) {
                oldest = member;
            }
        }
        return oldest != null && oldest.address().equals(cluster.selfAddress());
    }

    private List<Member> upControllers() {
        List<Member> up = new ArrayList<>();
        for (Member member : cluster.state().getMembers()) {
            if (member.status() == MemberStatus.up() && member.hasRole(ClusterNode.CONTROLLER_ROLE)) {
                up.add(member);
            }
        }
        return up;
    }

    /**
     * One line per member that left the membership (downed and removed, or gone after leaving), and the
     * fence of every member seen downed or gone: its later commits are refused by the database. A member
     * that left gracefully has handed its entities off first, so fencing it costs nothing.
     */
    private void watchMembers() {
        Map<Address, Member> now = new HashMap<>();
        for (Member member : cluster.state().getMembers()) {
            now.put(member.address(), member);
            if (member.status() == MemberStatus.down()) {
                fence(member);
            }
        }
        for (Map.Entry<Address, Member> gone : known.entrySet()) {
            if (!now.containsKey(gone.getKey())) {
                fence(gone.getValue());
                say("member " + gone.getKey() + " removed");
            }
        }
        known = now;
    }

    private void fence(Member member) {
        if (fencing.isEmpty() || member.address().equals(cluster.selfAddress())
                || cluster.selfMember().status() != MemberStatus.up()) {
            return;
        }
        Optional<String> token = MemberFence.tokenOf(member);
        if (token.isEmpty() || token.get().equals(fencing.get().ownToken()) || fenced.contains(token.get())) {
            return;
        }
        try {
            fencing.get().fence().fence(token.get(), member.address().toString());
            fenced.add(token.get());
            say("fenced member " + member.address() + " (" + token.get() + "): the database refuses its writes");
        } catch (SQLException e) {
            say("cannot fence member " + member.address() + " yet: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A member whose token the others fenced was removed while it could not tell: it must not go on. */
    private void checkOwnFence() {
        if (fencing.isEmpty()) {
            return;
        }
        try {
            if (fencing.get().fence().isFenced(fencing.get().ownToken())) {
                halt("the cluster removed this member and fenced its writes (" + fencing.get().ownToken() + ")");
            }
        } catch (SQLException e) {
            say("cannot read the fence: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private void openIslands() {
        if (islandsStarted.compareAndSet(false, true)) {
            startIslands.run();
        }
    }

    /**
     * A thread of the highest priority that notices its own stall: while this JVM did not run for
     * longer than the failure detector tolerates, the others may have removed it and moved its islands.
     */
    private void startPauseDetector() {
        long limit = settings.pauseLimit().toNanos();
        pauseDetector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "galapagos-pause-detector");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            return thread;
        });
        long[] last = {System.nanoTime()};
        // at a fixed rate, a tick missed while the JVM stood still runs as soon as it runs again
        pauseDetector.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (now - last[0] > limit) {
                halt("this JVM stood still for " + Duration.ofNanos(now - last[0]).toMillis() + " ms (more than"
                        + " galapagos.node.pause-limit " + settings.pauseLimit().toMillis()
                        + " ms): the cluster may have removed this member meanwhile");
            }
            last[0] = now;
        }, PAUSE_TICK_MILLIS, PAUSE_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void halt(String why) {
        String line = "galapagos node: " + cluster.selfAddress() + " halts: " + why;
        out.println(line);
        out.flush();
        System.err.println(line);
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    private void say(String line) {
        out.println("galapagos node: " + line);
        out.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (pauseDetector != null) {
            pauseDetector.shutdownNow();
        }
    }
}
