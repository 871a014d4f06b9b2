package io.galapagos.worker.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parent of every candidate's class loader in a sandbox child: it resolves the task's API types and
 * the JDK classes the allow-list names (plus {@code java.lang.invoke} and {@code java.lang.runtime},
 * which lambdas, string concatenation and records bootstrap through), and nothing else. The harness,
 * the simulators, Jackson and ASM share the child's class path, yet no name a candidate writes reaches
 * them, even if the bytecode check had missed a reference.
 */
final class CandidateApiLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, Class<?>> api = new HashMap<>();
    private final CandidateAllowList allowList;
    private final ClassLoader jdk = ClassLoader.getPlatformClassLoader();

    CandidateApiLoader(Set<Class<?>> apiTypes, CandidateAllowList allowList) {
        super("candidate-api", null);
        apiTypes.forEach(type -> api.put(type.getName(), type));
        this.allowList = allowList;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> type = api.get(name);
        if (type != null) {
            return type;
        }
        if (visibleJdkClass(name)) {
            return jdk.loadClass(name);
        }
        throw new ClassNotFoundException(name + " is not visible to candidates");
    }

    private boolean visibleJdkClass(String name) {
        if (!name.startsWith("java.") && !name.startsWith("jdk.internal.reflect.")) {
            return false;
        }
        if (name.startsWith("java.lang.invoke.") || name.startsWith("java.lang.runtime.")) {
            return true;
        }
        if (name.startsWith("jdk.internal.reflect.")) {
            // the accessors the JDK generates for a constructor used many times resolve their superclass
            // here; candidate code can name none of it (the bytecode check and the module system refuse)
            return true;
        }
        String internal = name.replace('.', '/');
        int nested = internal.indexOf('$');
        return allowList.allowsType(internal) || (nested > 0 && allowList.allowsType(internal.substring(0, nested)));
    }
}
