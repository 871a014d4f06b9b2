package io.galapagos.controller.generation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/** A semaphore whose waiters are futures, so that waiting for a model's slot blocks no thread. */
final class ConcurrencyLimit {

    private final int permits;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int used;

    ConcurrencyLimit(int permits) {
        this.permits = permits;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (used < permits) {
                used++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            waiting.add(turn);
            return turn;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                used--;
                return;
            }
        }
        next.complete(null); // the permit passes straight to the next waiter, outside the lock
    }

    synchronized int inUse() {
        return used;
    }
}
