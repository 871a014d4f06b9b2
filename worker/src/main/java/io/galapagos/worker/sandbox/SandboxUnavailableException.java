package io.galapagos.worker.sandbox;

/**
 * No jail can be made for candidate processes, and the configuration did not say to run without one.
 * The message is one line: what failed and how to fix it.
 */
public final class SandboxUnavailableException extends RuntimeException {

    static final String FIX = "install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces "
            + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces), or set "
            + "galapagos.sandbox.isolation = none to run candidates without a jail";

    public SandboxUnavailableException(String whatFailed) {
        super("cannot jail candidate processes: " + oneLine(whatFailed) + "; " + FIX);
    }

    /** Output of a failed tool as part of a one-line message: no control characters, bounded. */
    private static String oneLine(String text) {
        String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
