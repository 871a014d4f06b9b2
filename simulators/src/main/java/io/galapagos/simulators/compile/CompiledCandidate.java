package io.galapagos.simulators.compile;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;

/**
 * A compiled candidate class: makes a fresh instance per simulation run. An exception thrown by the
 * candidate's constructor propagates as {@link CandidateConstructionException}.
 */
public final class CompiledCandidate<T> implements Supplier<T> {

    private final String className;
    private final Constructor<? extends T> constructor;

    CompiledCandidate(String className, Constructor<? extends T> constructor) {
        this.className = className;
        this.constructor = constructor;
    }

    public String className() {
        return className;
    }

    @Override
    public T get() {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CandidateConstructionException(className, cause);
        } catch (ReflectiveOperationException e) {
            throw new CandidateConstructionException(className, e);
        }
    }

    /** The candidate's constructor threw. */
    public static final class CandidateConstructionException extends RuntimeException {
        CandidateConstructionException(String className, Throwable cause) {
            super("constructor of " + className + " threw " + cause, cause);
        }
    }
}
