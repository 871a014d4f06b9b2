package io.galapagos.controller.generation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Guards one model's endpoint: after {@code failureThreshold} failed calls in a row (each after its
 * retries) the circuit opens and the model gets no calls for a cooldown that doubles on every failed
 * probe, up to {@code maxCooldown}; then one probe call decides whether it closes again. Islands see
 * the state instead of burning iterations on an endpoint that is down.
 */
public final class EndpointCircuit {

    /** When a circuit opens and for how long. */
    public record Settings(int failureThreshold, Duration cooldown, Duration maxCooldown) {
        public Settings {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be >= 1");
            }
            if (cooldown.isNegative() || maxCooldown.compareTo(cooldown) < 0) {
                throw new IllegalArgumentException("need 0 <= cooldown <= maxCooldown");
            }
        }

        /** The circuit of the controller's {@code reference.conf}, the one source of its defaults. */
        public static Settings defaults() {
            return GenerationConfig.defaultCircuit();
        }
    }

    public enum Status {
        /** Calls go out. */
        CLOSED,
        /** Paused until {@link State#openUntil()}. */
        OPEN,
        /** The cooldown is over; one probe call is (or may be) in flight. */
        HALF_OPEN
    }

    /** What the progress display and the island see. */
    public record State(String model, Status status, int consecutiveFailures, Optional<Instant> openUntil,
            String lastFailure) {
    }

    private final String model;
    private final Settings settings;
    private final Clock clock;
    private int failures;
    private Duration cooldown;
    private Instant openUntil;
    private boolean probing;
    private String lastFailure = "";

    public EndpointCircuit(String model, Settings settings, Clock clock) {
        this.model = model;
        this.settings = settings;
        this.clock = clock;
        this.cooldown = settings.cooldown();
    }

    /** Whether a call could go out now (without taking the probe slot). */
    public synchronized boolean available() {
        if (openUntil == null) {
            return true;
        }
        return !probing && !clock.instant().isBefore(openUntil);
    }

    /** Takes the right to call: always when closed, once per cooldown when open. */
    public synchronized boolean tryEnter() {
        if (openUntil == null) {
            return true;
        }
        if (probing || clock.instant().isBefore(openUntil)) {
            return false;
        }
        probing = true;
        return true;
    }

    /** The call entered never went out (budget refused it, for instance). */
    public synchronized void cancel() {
        probing = false;
    }

    public synchronized void succeeded() {
        failures = 0;
        openUntil = null;
        probing = false;
        cooldown = settings.cooldown();
    }

    public synchronized void failed(String reason) {
        failures++;
        lastFailure = reason;
        if (probing) {
            cooldown = min(cooldown.multipliedBy(2), settings.maxCooldown());
            openUntil = clock.instant().plus(cooldown);
        } else if (openUntil == null && failures >= settings.failureThreshold()) {
            openUntil = clock.instant().plus(cooldown);
        }
        probing = false;
    }

    public synchronized State state() {
        Status status = openUntil == null ? Status.CLOSED
                : clock.instant().isBefore(openUntil) && !probing ? Status.OPEN : Status.HALF_OPEN;
        return new State(model, status, failures, Optional.ofNullable(openUntil), lastFailure);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
