package io.galapagos.simulators.compile;

import java.util.Map;

/**
 * A candidate compiled but not loaded: the class files of its one compilation unit, so that they can
 * be checked before any of them is defined in a JVM.
 *
 * @param publicClass binary name of the public top-level class, e.g. {@code Greedy} or {@code a.b.Greedy}
 * @param classes     every class the unit produced (nested, anonymous and synthetic ones too), by binary name
 */
public record CandidateClasses(String publicClass, Map<String, byte[]> classes) {
    public CandidateClasses {
        classes = Map.copyOf(classes);
    }

    /** The public class's simple name, as the source spells it. */
    public String simpleName() {
        return publicClass.substring(publicClass.lastIndexOf('.') + 1);
    }
}
