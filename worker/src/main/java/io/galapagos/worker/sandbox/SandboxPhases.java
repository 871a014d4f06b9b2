package io.galapagos.worker.sandbox;

/**
 * Where one request's time went in the sandbox, in nanoseconds; all zero where a phase did not run
 * (a rejected source is never queued) or the outcome did not come from a pool.
 *
 * @param staticCheck the source check before the request is queued
 * @param queue       from the request's arrival to a slot taking it, without the static check
 * @param compile     the pool's compiler (a warm compiler JVM, or its cache for a source seen before)
 * @param bytecode    the bytecode check in the child
 * @param simulation  the splits in the child, as the child timed them
 * @param roundTrip   the slot's whole exchange with its child minus compile, bytecode and simulation
 */
public record SandboxPhases(long staticCheck, long queue, long compile, long bytecode, long simulation,
                            long roundTrip) {

    public static final SandboxPhases NONE = new SandboxPhases(0, 0, 0, 0, 0, 0);
}
