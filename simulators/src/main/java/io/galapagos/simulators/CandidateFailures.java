package io.galapagos.simulators;

import java.util.ArrayList;
import java.util.List;

/** Turns what a candidate threw into a short message a model can act on. */
public final class CandidateFailures {

    private static final int MAX_FRAMES = 6;

    private CandidateFailures() {
    }

    /**
     * {@code java.lang.ArithmeticException: / by zero at Greedy.step(Greedy.java:31)}: the exception,
     * then the frames of the candidate's own classes (those without a package: candidates are
     * compiled into the unnamed package), which carry its line numbers.
     */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure));
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (!frame.getClassName().contains(".") && frames.size() < MAX_FRAMES) {
                frames.add(frame.toString());
            }
        }
        if (!frames.isEmpty()) {
            text.append(" at ").append(String.join(" <- ", frames));
        }
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            text.append("; caused by ").append(describe(cause));
        }
        return text.toString();
    }
}
