package io.galapagos.simulators;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The non-JDK types a candidate can reach from its interface: what the sandbox's class loader lets
 * candidate code link against besides the allow-listed JDK members (see {@link Task#candidateApiTypes()}).
 */
public final class CandidateApiTypes {

    private CandidateApiTypes() {
    }

    /**
     * {@code candidateType}, plus every type reachable from it through public signatures (methods,
     * constructors, fields, declared exceptions, supertypes, generic type arguments and bounds, array
     * components) that is not a JDK type, transitively; JDK types are not followed.
     */
    public static Set<Class<?>> derive(Class<?> candidateType) {
        Set<Class<?>> found = new LinkedHashSet<>();
        found.add(candidateType);
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(candidateType);
        while (!pending.isEmpty()) {
            Class<?> type = pending.poll();
            if (isJdk(type)) {
                continue; // the candidate type itself may be a JDK interface; its members are the JDK allow-list's
            }
            Set<Class<?>> referenced = new LinkedHashSet<>();
            for (TypeVariable<?> variable : type.getTypeParameters()) {
                collect(variable, referenced);
            }
            collect(type.getGenericSuperclass(), referenced);
            for (Type supertype : type.getGenericInterfaces()) {
                collect(supertype, referenced);
            }
            for (Method method : type.getMethods()) {
                collect(method.getGenericReturnType(), referenced);
                collectSignature(method, referenced);
            }
            for (Constructor<?> constructor : type.getConstructors()) {
                collectSignature(constructor, referenced);
            }
            for (Field field : type.getFields()) {
                collect(field.getGenericType(), referenced);
            }
            for (Class<?> reference : referenced) {
                if (!isJdk(reference) && found.add(reference)) {
                    pending.add(reference);
                }
            }
        }
        return Collections.unmodifiableSet(found);
    }

    /** {@code derive(candidateType)} and {@code extra}: for tasks that document helper classes a candidate may call. */
    public static Set<Class<?>> deriveWith(Class<?> candidateType, Class<?>... extra) {
        Set<Class<?>> all = new LinkedHashSet<>(derive(candidateType));
        for (Class<?> type : extra) {
            all.addAll(derive(type));
        }
        return Collections.unmodifiableSet(all);
    }

    /** A type of the platform's own packages ({@code java.*}, {@code javax.*}) or a primitive. */
    public static boolean isJdk(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive()) {
            return true;
        }
        String name = element.getName();
        return name.startsWith("java.") || name.startsWith("javax.");
    }

    private static void collectSignature(Executable executable, Set<Class<?>> into) {
        if (!Modifier.isPublic(executable.getModifiers())) {
            return;
        }
        for (Type parameter : executable.getGenericParameterTypes()) {
            collect(parameter, into);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            collect(thrown, into);
        }
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            collect(variable, into);
        }
    }

    private static void collect(Type type, Set<Class<?>> into) {
        collect(type, into, new LinkedHashSet<>());
    }

    /** {@code visiting} stops recursive bounds such as {@code E extends Enum<E>}. */
    private static void collect(Type type, Set<Class<?>> into, Set<Type> visiting) {
        if (type == null || !visiting.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (!element.isPrimitive()) {
                into.add(element);
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), into, visiting);
            collect(p.getOwnerType(), into, visiting);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, into, visiting);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), into, visiting);
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, into, visiting);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, into, visiting);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, into, visiting);
            }
        }
    }
}
